import COpenSSL

/// The system OpenSSL's AEADs used for bulk data: both take a 32-byte key and a 12-byte nonce and give a 16-byte tag.
///
/// ChaCha20-Poly1305 is fast everywhere with plain vector code; AES-256-GCM needs the CPU's AES and carry-less
/// multiply instructions. Measured here with OpenSSL 3.0 (`peerstore-gen -cryptoBench`, `openssl speed`), ChaCha20-Poly1305
/// is the faster of the two even on a CPU with VAES: 3.2-3.6 GB/s against 2.9-3.2 GB/s a core.
public enum AEADAlgorithm: UInt8, Sendable, CaseIterable {
    case aes256GCM = 2
    case chaCha20Poly1305 = 3

    public static let keyLength = 32
    public static let nonceLength = 12
    public static let tagLength = 16

    /// What new chunks are sealed with: ChaCha20-Poly1305, the faster one measured here and the same on every CPU, so
    /// a user's machines make the same blocks of the same content whatever their CPUs.
    public static let preferred: AEADAlgorithm = .chaCha20Poly1305

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
