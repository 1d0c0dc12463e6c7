import ChordRing
import PeerStoreCrypto
import PeerStoreModel

/// A plaintext cut into pieces, each a sealed object whose nonce is derived from its bytes (keyed BLAKE2b), so a piece
/// that did not change is the same block again: the form of a sync folder state and of a snapshot index.
enum SealedPieces {
    static func seal(_ plain: [UInt8], cuts: [Range<Int>], kind: SealedObject.Kind, key: [UInt8], nonceKey: [UInt8]) throws
        -> [(id: Identifier, bytes: [UInt8])]
    {
        try cuts.map { range in
            let piece = Array(plain[range])
            let nonce = Blake2b.hash(piece, outputLength: XChaCha20Poly1305.nonceLength, key: nonceKey)
            let sealed = try SealedObject.seal(piece, kind: kind, key: key, nonce: nonce)
            return (BlockID.of(sealed), sealed)
        }
    }

    /// The plaintext of `pieces`, in order.
    static func open(_ pieces: [[UInt8]], kind: SealedObject.Kind, key: [UInt8], what: String) throws -> [UInt8] {
        var plain: [UInt8] = []
        for piece in pieces { plain += try SealedObject.open(piece, kind: kind, key: key, what: what) }
        return plain
    }
}
