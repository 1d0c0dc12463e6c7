import ChordRing
import Metrics
import PeerStoreModel
import PeerStoreWire

extension RingCoordinator {
    /// After a client's report made this node drop its damaged copy of `id`: fetches an intact copy from the other
    /// holders (checked against the id) and stores it again, as read repair does. Without one, anti-entropy brings it
    /// back later.
    public func repairDropped(_ id: Identifier) async {
        let reply = await replicator.ask(.getBlock(id: id), about: id) {
            if case .block(let bytes) = $0 { BlockID.of(Array(bytes.readableBytesView)) == id } else { false }
        }
        guard case .block(let bytes)? = reply else {
            ReadRepairMetrics.repaired("block", succeeded: false, factory: metricsFactory)
            logger.warning("a reported damaged block is not on the other holders now; anti-entropy may bring it back")
            return
        }
        do {
            try await local.store.put(id: id, bytes: Array(bytes.readableBytesView))
            logger.warning("a reported damaged block was replaced from a replica", metadata: ["block": "\(id)"])
            ReadRepairMetrics.repaired("block", succeeded: true, factory: metricsFactory)
        } catch {
            logger.error("a reported damaged block could not be replaced", metadata: ["block": "\(id)", "error": "\(error)"])
            ReadRepairMetrics.repaired("block", succeeded: false, factory: metricsFactory)
        }
    }
}
