import COpenSSL

/// The system OpenSSL's AEADs used for bulk data: both take a 32-byte key and a 12-byte nonce and give a 16-byte tag.
///
/// AES-256-GCM runs on the CPU's AES and carry-less multiply instructions (VAES and VPCLMULQDQ where present, several
/// GB/s a core); ChaCha20-Poly1305 is the fallback for CPUs without them, fast everywhere with plain vector code.
public enum AEADAlgorithm: UInt8, Sendable, CaseIterable {
    case aes256GCM = 2
    case chaCha20Poly1305 = 3

    public static let keyLength = 32
    public static let nonceLength = 12
    public static let tagLength = 16

    /// The one a CPU runs fastest: AES-256-GCM where it has AES instructions, ChaCha20-Poly1305 where not.
    public static var preferred: AEADAlgorithm { CPUFeatures.current.hasAESInstructions ? .aes256GCM : .chaCha20Poly1305 }

    public var name: String {
        switch self {
        case .aes256GCM: "AES-256-GCM"
        case .chaCha20Poly1305: "ChaCha20-Poly1305"
        }
    }

    /// The algorithm, fetched from OpenSSL's default provider once per process (fetching is not cheap in OpenSSL 3).
    var cipher: OpaquePointer {
        switch self {
        case .aes256GCM: FetchedCiphers.shared.aes256GCM
        case .chaCha20Poly1305: FetchedCiphers.shared.chaCha20Poly1305
        }
    }
}

/// OpenSSL cipher handles, fetched once; they are immutable and safe to share between threads.
private final class FetchedCiphers: @unchecked Sendable {
    static let shared = FetchedCiphers()
    let aes256GCM: OpaquePointer
    let chaCha20Poly1305: OpaquePointer

    private init() {
        guard let aes = EVP_CIPHER_fetch(nil, "AES-256-GCM", nil), let chacha = EVP_CIPHER_fetch(nil, "ChaCha20-Poly1305", nil) else {
            preconditionFailure("the system's OpenSSL lacks AES-256-GCM or ChaCha20-Poly1305")
        }
        aes256GCM = aes
        chaCha20Poly1305 = chacha
    }
}
