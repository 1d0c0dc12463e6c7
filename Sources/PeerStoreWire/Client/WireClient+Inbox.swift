import PeerStoreModel

extension WireClient {
    /// Appends an entry to its owner's inbox; true if it was new.
    public func postToInbox(_ entry: InboxEntry) async throws -> Bool {
        guard case .inboxPostResult(let stored) = try await inboxRequest(.inboxPost(entry: entry)) else {
            throw unexpectedInboxAnswer("inbox post")
        }
        return stored
    }

    /// The entries of `owner`'s inbox this node has (or finds on the ring).
    public func inboxEntries(owner: [UInt8]) async throws -> [InboxEntry] {
        guard case .inboxEntries(let entries) = try await inboxRequest(.inboxList(owner: owner)) else {
            throw unexpectedInboxAnswer("inbox list")
        }
        return entries
    }

    /// Applies the owner's signed removal; false if it removed no entry the node held.
    @discardableResult
    public func removeFromInbox(_ removal: InboxRemoval) async throws -> Bool {
        guard case .inboxRemoveResult(let changed) = try await inboxRequest(.inboxRemove(removal: removal)) else {
            throw unexpectedInboxAnswer("inbox remove")
        }
        return changed
    }

    /// A node older than inboxes answers their messages with `unknownMessageType`: say so plainly.
    private func inboxRequest(_ message: WireMessage) async throws -> WireMessage {
        do {
            return try await request(message)
        } catch let error as WireError where error.code == .unknownMessageType {
            throw WireError(
                .unknownMessageType,
                "the node at \(address.hostPort) runs a PeerStore without inboxes; ask its operator to upgrade it, or use another node")
        }
    }

    private func unexpectedInboxAnswer(_ what: String) -> WireError {
        WireError(.unexpectedResponse, "\(address) answered an \(what) request with the wrong message type")
    }
}
