import ChordRing
import PeerStoreModel
import PeerStoreWire

extension AntiEntropy {
    /// Makes `target` hold what this node holds of `inbox`: asks for its listing, sends the entries it lacks and the
    /// owner's removals of entries it still lists (all removals with `allRemovals`, as before a leave). Returns how many
    /// entries and removals were sent; nothing if the target does not answer.
    func push(_ inbox: InboxState, to target: NodeIdentity, allRemovals: Bool = false) async -> Int {
        let transport = replicator.transport
        guard case .inboxEntries(let listed)? = try? await transport.request(
            .placedPut(role: .local, put: .inboxList(owner: inbox.owner)), to: target.address, key: target.key)
        else { return 0 }
        let there = Set(listed.map(\.id))
        var sent = 0
        for removal in inbox.removals where allRemovals || removal.ids.contains(where: there.contains) {
            if (try? await transport.request(.placedPut(role: .replica, put: .inboxRemove(removal: removal)),
                                             to: target.address, key: target.key)) != nil { sent += 1 }
        }
        for entry in inbox.sortedEntries where !there.contains(entry.id) {
            if (try? await transport.request(.placedPut(role: .replica, put: .inboxPost(entry: entry)),
                                             to: target.address, key: target.key)) != nil { sent += 1 }
        }
        return sent
    }

    /// The inboxes whose key falls in (start, end], or every inbox without a start.
    func inboxes(in start: Identifier?, _ end: Identifier) -> [InboxState] {
        let all = store.allInboxes()
        guard let start else { return all }
        return all.filter { $0.key.isBetweenRightInclusive(start, end) }
    }
}
