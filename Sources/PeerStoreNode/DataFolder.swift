import PeerStoreCrypto

/// The node's data folder: created 0700 when missing; refused when group or others may write to it (they could swap
/// the node key or the segments).
public enum DataFolder {
    public static func prepare(_ path: String) throws {
        do {
            try SecretFile.prepareFolder(path, what: "the node's data folder")
        } catch let failure as CryptoError {
            throw NodeError(.io, failure.message)
        }
    }
}
