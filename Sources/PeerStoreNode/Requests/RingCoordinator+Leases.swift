import PeerStoreWire

extension RingCoordinator {
    /// A have-blocks with a lease grant: answered from this node's store, as have-blocks is (the client asks each
    /// owner about its own ids), the held blocks leased here; the grant is then copied to the replicas (as a
    /// `leaseBlocks`, so they lease what they hold too) while the answer goes back: a no-change backup asks this for
    /// every block it names, and waiting for the copies would add a replica round trip to each batch. The owner's
    /// lease is durable before the answer, and the owner decides deletion (asking the replicas first). The window
    /// this opens: an owner that fails between its answer and the copies leaves its successor an older renewal time,
    /// so a prune's release in the next B may end that lease; the block then stays for the grace period, in which
    /// the next backup that names it leases it again.
    /// Lease grants and releases sent on their own (`leaseBlocks`, `releaseBlocks`) take the put path instead
    /// (`put`): to the owner of their first id, which applies and copies them.
    public func leaseHere(_ request: WireMessage) async -> WireMessage {
        guard case .haveBlocksLeased(let grant) = request else { return await local.handle(request) }
        let answer = await local.handle(request)
        if case .error = answer { return answer }
        if await ring.isJoined {
            let replicator = self.replicator
            Task { _ = await replicator.replicate(.leaseBlocks(grant: grant)) }
        }
        return answer
    }
}
