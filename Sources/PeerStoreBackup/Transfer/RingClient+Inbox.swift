import ChordRing
import PeerStoreModel
import PeerStoreWire

extension RingClient {
    /// Appends a sealed entry to its owner's inbox (the owner of the inbox key stores it and copies it to the replicas
    /// before answering); false if it was there already. A cap hit throws `inboxFull` with what to do.
    public func postToInbox(_ entry: InboxEntry) async throws -> Bool {
        try await sendToOwner(about: entry.inboxKey) { try await $0.postToInbox(entry) }
    }

    /// The entries of `owner`'s inbox, from the first of its holders that answers (the owner, then the nodes after it).
    public func inboxEntries(owner: [UInt8]) async throws -> [InboxEntry] {
        let entries = try await readFromHolders(about: InboxKey.of(owner: owner)) { try await $0.inboxEntries(owner: owner) }
        // A node may lie about an inbox, but cannot make entries: keep only those signed by their poster and addressed here.
        return entries.filter { $0.owner == owner && $0.hasValidSignature }
    }

    /// Removes entries from an inbox (the removal is signed by its owner).
    public func removeFromInbox(_ removal: InboxRemoval) async throws {
        _ = try await sendToOwner(about: removal.inboxKey) { try await $0.removeFromInbox(removal) }
    }
}
