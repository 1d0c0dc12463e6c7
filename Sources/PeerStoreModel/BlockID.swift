import ChordRing
import PeerStoreCrypto

/// Content addressing: a block's id is BLAKE2b-256 of its bytes.
public enum BlockID {
    public static func of(_ bytes: UnsafeRawBufferPointer) -> Identifier {
        Identifier(bytes: Blake2b.hash(bytes, outputLength: 32))!
    }

    public static func of(_ bytes: [UInt8]) -> Identifier {
        bytes.withUnsafeBytes { of($0) }
    }

    public static func matches(_ id: Identifier, _ bytes: [UInt8]) -> Bool {
        of(bytes) == id
    }
}
