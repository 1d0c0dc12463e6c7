import ChordRing
import PeerStoreWire

/// Which ring entries a client takes from a node's status. A node answers over a connection pinned to the key the
/// client asked it with, so its status must name that node (same id, same key); the successors it lists are taken only
/// if genuine (a key, and the id its BLAKE2b-256), so no entry can turn pinning off or pick its place on the ring.
public enum RingEntries {
    /// The status's node and its genuine successors, or nil if the status is not that of `asked` (a node that names
    /// another id or key than the one it was reached with).
    public static func learned(from status: NodeStatus, asked: NodeIdentity) -> [NodeIdentity]? {
        guard status.node.id == asked.id, status.node.key == asked.key, status.node.isGenuine else { return nil }
        return [status.node] + status.successors.filter(\.isGenuine)
    }

    /// Whether the entry node's status names the key it proved in the handshake (nil: a plaintext test connection,
    /// nothing proved).
    public static func entryMatches(_ status: NodeStatus, provedKey: [UInt8]?) -> Bool {
        guard status.node.isGenuine else { return false }
        guard let provedKey else { return true }
        return status.node.key == provedKey
    }
}
