import ChordRing
import PeerStoreCrypto

/// Content addressing: a block's id is a hash of its bytes, chosen by the block's first byte (its format version).
///
/// Blocks of format 1 (every block builds before version 2 chunks wrote, and anything whose first byte is 0 or 1) are
/// named by BLAKE2b-256; blocks of format 2 and later (chunks sealed with AES-256-GCM or ChaCha20-Poly1305) by SHA-256,
/// which the CPU's SHA instructions make faster. Nodes check a put with the same rule, so nobody can store other
/// bytes under an id.
public enum BlockID {
    public static func of(_ bytes: UnsafeRawBufferPointer) -> Identifier {
        let digest = usesSHA256(firstByte: bytes.first) ? SHA256Hash.hash(bytes) : Blake2b.hash(bytes, outputLength: 32)
        return Identifier(bytes: digest)!
    }

    public static func of(_ bytes: [UInt8]) -> Identifier {
        bytes.withUnsafeBytes { of($0) }
    }

    public static func matches(_ id: Identifier, _ bytes: [UInt8]) -> Bool {
        of(bytes) == id
    }

    /// Whether a block starting with this byte is named by SHA-256 (format 2 and later) rather than BLAKE2b-256.
    public static func usesSHA256(firstByte: UInt8?) -> Bool {
        (firstByte ?? 0) >= 2
    }
}
