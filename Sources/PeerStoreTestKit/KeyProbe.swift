import ChordRing
import PeerStoreBackup
import PeerStoreCrypto

/// Tries keys on blocks the way a user who holds them would: as the key of a sealed object (manifest, tree, snapshot,
/// head: nonce in the header) and as a chunk key of any chunk version (nonce derived from it). For tests that check what a share's keys open.
public enum KeyProbe {
    /// The ids of the blocks among `blocks` that one of `keys` opens.
    public static func openable(_ blocks: [(id: Identifier, bytes: [UInt8])], with keys: [[UInt8]]) -> Set<Identifier> {
        var opened = Set<Identifier>()
        for (id, bytes) in blocks where bytes.count >= 2 + XChaCha20Poly1305.tagLength {
            let header = Array(bytes[0..<2])
            for key in keys where key.count == XChaCha20Poly1305.keyLength {
                if (try? ChunkBlock.decryptBody(bytes, key: key, name: "probe")) != nil {
                    opened.insert(id)
                    break
                }
                let headerSize = SealedObject.headerSize
                guard bytes.count >= headerSize + XChaCha20Poly1305.tagLength else { continue }
                let nonce = Array(bytes[2..<headerSize])
                if (try? XChaCha20Poly1305.open(Array(bytes[headerSize...]), key: key, nonce: nonce, associatedData: header)) != nil {
                    opened.insert(id)
                    break
                }
            }
        }
        return opened
    }

    /// Every key a grant hands over: the manifest's session key and, given the manifest's bytes, its chunk keys; or the
    /// inline chunk keys.
    public static func keys(of grant: ShareGrant, manifest: [UInt8]?) throws -> [[UInt8]] {
        switch grant.content {
        case .inline(let refs): return refs.map(\.key)
        case .manifest(_, let key):
            let chunks = try manifest.map { try FileManifest.open($0, sessionKey: key).chunks } ?? []
            return [key] + chunks.map(\.key)
        default: return []
        }
    }
}
