import PeerStoreCrypto

/// Which chunk block version a backup seals new chunks with (`ChunkBlock`). Every version is always read.
public enum ChunkFormat: Sendable, Equatable {
    /// Version 1, XChaCha20-Poly1305 (libsodium), what builds before version 2 wrote; kept so tests can make it.
    case version1
    /// Version 2 (AES-256-GCM) or 3 (ChaCha20-Poly1305).
    case aead(AEADAlgorithm)

    /// Version 3 (ChaCha20-Poly1305) on every machine (`AEADAlgorithm.preferred`).
    public static var preferred: ChunkFormat { .aead(AEADAlgorithm.preferred) }
}
