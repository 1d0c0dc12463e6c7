import ChordRing
import PeerStoreWire

extension WireError {
    /// A failure a node reported of itself (its disk full, its store failing, an internal error), with the node named,
    /// so that the person reading it knows which machine to look at; other errors as they are.
    func naming(_ node: NodeIdentity) -> WireError {
        switch code {
        case .noSpace, .storageFailure, .internalError: WireError(code, "node \(node.address): \(message)")
        default: self
        }
    }
}
