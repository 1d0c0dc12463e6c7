import BlockStore
import ChordRing
import Foundation
import PeerStoreCrypto

/// The node's long-term Ed25519 key, kept in `<dataPath>/node.key` (0600 from its first byte, written through a new
/// randomly named file). Its ring id is BLAKE2b-256(public key).
public struct NodeKey: Sendable {
    public let keys: SigningKeyPair

    public var id: Identifier { Identifier(bytes: Blake2b.hash(keys.publicKey, outputLength: 32))! }

    /// Loads the key, or creates it on a node's first start.
    public static func loadOrCreate(dataPath: String) throws -> NodeKey {
        let path = dataPath + "/node.key"
        let magic = Array("PSNODEKEY1".utf8)
        if let data = FileManager.default.contents(atPath: path) {
            let bytes = [UInt8](data)
            guard bytes.count == magic.count + 32, Array(bytes.prefix(magic.count)) == magic else {
                throw NodeError(.badNodeKey, "\(path) is not a node key file; move it away to let the node make a new one")
            }
            return NodeKey(keys: try SigningKeyPair(seed: Array(bytes.suffix(32))))
        }
        let keys = SigningKeyPair()
        do {
            try SecretFile.write(magic + keys.seed, to: path)
        } catch let failure as CryptoError {
            throw NodeError(.io, failure.message)
        }
        return NodeKey(keys: keys)
    }
}
