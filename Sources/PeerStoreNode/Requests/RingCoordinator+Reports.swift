import ChordRing

extension RingCoordinator {
    /// After a client's report made this node drop its damaged copy of `id`: fetches an intact copy from the other
    /// holders and stores it again, as read repair does. Without one, anti-entropy brings it back later.
    public func repairDropped(_ id: Identifier) async {
        guard let (bytes, _) = await intactCopyFromHolders(id) else {
            ReadRepairMetrics.repaired("block", succeeded: false, factory: metricsFactory)
            logger.warning("a reported damaged block is not on the other holders now; anti-entropy may bring it back")
            return
        }
        await storeRepaired(id, bytes)
    }
}
