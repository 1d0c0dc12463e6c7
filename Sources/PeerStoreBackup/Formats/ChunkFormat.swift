import PeerStoreCrypto

/// A chunk block's version: which AEAD seals it and where its nonce comes from (`ChunkBlock`). Every version is always
/// read; new chunks are sealed as `preferred`.
public enum ChunkFormat: Sendable, Equatable {
    /// Version 1, XChaCha20-Poly1305 (libsodium), what builds before version 2 wrote; kept so tests can make it.
    case version1
    /// Versions 2 (AES-256-GCM) and 3 (ChaCha20-Poly1305), whose nonce comes from the chunk key alone, as earlier
    /// builds wrote them; kept so tests can make them.
    case keyNonce(AEADAlgorithm)
    /// Versions 4 (ChaCha20-Poly1305) and 5 (AES-256-GCM), whose nonce is a keyed hash of the encoded body and is
    /// carried in the block: two encodings of one plaintext (two compressor versions) never share a key and nonce.
    case bodyNonce(AEADAlgorithm)

    /// Version 4 (ChaCha20-Poly1305 with a body-bound nonce) on every machine (`AEADAlgorithm.preferred`).
    public static var preferred: ChunkFormat { .bodyNonce(AEADAlgorithm.preferred) }

    /// The block's first byte.
    public var version: UInt8 {
        switch self {
        case .version1: 1
        case .keyNonce(let algorithm): algorithm.rawValue
        case .bodyNonce(.chaCha20Poly1305): 4
        case .bodyNonce(.aes256GCM): 5
        }
    }

    /// The format a block's first byte names, or nil for a version this build does not know.
    public init?(version: UInt8) {
        switch version {
        case 1: self = .version1
        case 4: self = .bodyNonce(.chaCha20Poly1305)
        case 5: self = .bodyNonce(.aes256GCM)
        default:
            guard let algorithm = AEADAlgorithm(rawValue: version) else { return nil }
            self = .keyNonce(algorithm)
        }
    }

    /// Whether the nonce binds the body. A block whose nonce does not may share key and nonce with another encoding of
    /// the same plaintext, so its tag alone does not prove it is the block the tree names.
    public var nonceBindsBody: Bool {
        if case .bodyNonce = self { return true }
        return false
    }

    /// The bytes before the ciphertext: version, kind and, for versions 4 and 5, the 8-byte nonce. All are
    /// authenticated.
    var headerCount: Int { nonceBindsBody ? 2 + ChunkBlock.boundNonceLength : 2 }

    /// Whether a compressed body carries the plaintext's length (versions 1 to 3; later ones take it from the
    /// `ChunkRef`).
    var bodyHasLength: Bool { !nonceBindsBody }
}
