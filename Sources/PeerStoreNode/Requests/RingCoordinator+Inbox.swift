import ChordRing
import PeerStoreModel
import PeerStoreWire

extension RingCoordinator {
    /// An inbox listing on a live ring: this node's entries together with every other holder's (a holder that missed a
    /// post while it was down still lists the inbox whole), without any this node knows removed. If this node is one
    /// of the inbox's holders, entries found elsewhere and not here are stored here (read repair, under the same rules
    /// as a post).
    public func readInbox(owner: [UInt8]) async -> WireMessage {
        let key = InboxKey.of(owner: owner)
        var inbox = local.store.inboxState(for: owner)
        var found: [InboxEntry] = []
        let holders = await replicator.holders(of: key)
        for holder in holders where holder.id != node.id {
            guard let reply = try? await replicator.transport.request(
                .placedPut(role: .local, put: .inboxList(owner: owner)), to: holder.address, key: holder.key),
                case .inboxEntries(let entries) = reply
            else { continue }  // no answer: the other holders still count
            for entry in entries where inbox.entries[entry.id] == nil && inbox.post(entry) == .store {
                found.append(entry)
            }
        }
        for entry in found where holders.contains(where: { $0.id == node.id }) {
            do {
                try await local.store.post(entry)
            } catch {
                logger.debug("an inbox entry from another holder was not kept here", metadata: ["error": "\(error)"])
            }
        }
        if !found.isEmpty {
            logger.debug("read repair of an inbox", metadata: ["entries": "\(found.count)"])
        }
        return .inboxEntries(WireMessageCodec.fittingListing(inbox.sortedEntries))
    }
}
