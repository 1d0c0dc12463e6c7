import ChordRing
import PeerStoreModel
import PeerStoreWire

extension RingClient {
    /// Appends a sealed entry to its owner's inbox (the owner of the inbox key stores it and copies it to the replicas
    /// before answering); false if it was there already.
    public func postToInbox(_ entry: InboxEntry) async throws -> Bool {
        throw WireError(.unknownMessageType, "inboxes are not on the wire yet")
    }

    /// The entries of `owner`'s inbox, from the first of its holders that answers.
    public func inboxEntries(owner: [UInt8]) async throws -> [InboxEntry] {
        throw WireError(.unknownMessageType, "inboxes are not on the wire yet")
    }

    /// Removes entries from an inbox (the removal is signed by its owner).
    public func removeFromInbox(_ removal: InboxRemoval) async throws {
        throw WireError(.unknownMessageType, "inboxes are not on the wire yet")
    }
}
