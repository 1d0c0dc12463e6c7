import ChordRing
import PeerStoreModel
import PeerStoreWire

extension AntiEntropy {
    /// Makes `target` hold what this node holds of `inbox`: asks which entries it holds (ids only), sends the owner's
    /// removals of entries it still holds and the entries it lacks (a node keeps a removal only where it removes an
    /// entry, so there is no point in sending others). Returns how many the target took; nothing if it does not answer.
    func push(_ inbox: InboxState, to target: NodeIdentity) async -> Int {
        guard case .inboxIDsResult(let ids)? = try? await replicator.transport.request(
            .inboxIDs(owner: inbox.owner), to: target.address, key: target.key)
        else { return 0 }
        let there = Set(ids)
        var sent = 0
        for removal in inbox.removals where removal.ids.contains(where: there.contains) {
            if await place(.inboxRemove(removal: removal), at: target) { sent += 1 }
        }
        for entry in inbox.sortedEntries where !there.contains(entry.id) {
            if await place(.inboxPost(entry: entry), at: target) { sent += 1 }
        }
        return sent
    }

    /// Hands `put` to `target` as a replica; whether it took it (a refusal is logged: the replicas have diverged).
    private func place(_ put: WireMessage, at target: NodeIdentity) async -> Bool {
        guard let reply = try? await replicator.transport.request(.placedPut(role: .replica, put: put), to: target.address, key: target.key)
        else { return false }
        if case .error(let error) = reply {
            logger.debug("a replica did not take an inbox repair", metadata: ["replica": "\(target.address)", "error": "\(error)"])
            return false
        }
        return true
    }

    /// The inboxes whose key falls in (start, end], or every inbox without a start.
    func inboxes(in start: Identifier?, _ end: Identifier) -> [InboxState] {
        let all = store.allInboxes()
        guard let start else { return all }
        return all.filter { $0.key.isBetweenRightInclusive(start, end) }
    }
}
