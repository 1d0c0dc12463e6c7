import ChordRing
import PeerStoreWire

extension RingClient {
    /// Tells `holder` (a node of the view) that its copy of block `id` failed this client's check; whether it dropped
    /// its copy. Best effort: nil when the node is not in the view or does not answer (a node older than reports
    /// answers false).
    public func reportBadBlock(id: Identifier, holder: Identifier) async -> Bool? {
        guard let node = view.nodes.first(where: { $0.id == holder }) else { return nil }
        return try? await connection(to: node).reportBadBlock(id: id)
    }
}
