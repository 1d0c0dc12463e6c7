import PeerStoreBackup
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreTestKit
import PeerStoreWire
import Testing

/// The inbox through `RingAccess` on the in-memory ring: the same rules and errors a node applies.
@Suite struct InMemoryInboxTests {
    let owner = SigningKeyPair()
    let poster = SigningKeyPair()

    func entry(_ n: Int) throws -> InboxEntry {
        try InboxEntry(owner: owner.publicKey, sealed: Array("share \(n)".utf8), posted: UInt64(n), signingWith: poster)
    }

    @Test func postListRemove() async throws {
        let ring: any RingAccess = InMemoryRing()
        let (a, b) = (try entry(1), try entry(2))
        #expect(try await ring.postToInbox(a))
        #expect(try await ring.postToInbox(b))
        #expect(try await !ring.postToInbox(a))
        #expect(try await ring.inboxEntries(owner: owner.publicKey) == [a, b])
        #expect(try await ring.inboxEntries(owner: poster.publicKey).isEmpty)
        try await ring.removeFromInbox(try InboxRemoval(ids: [a.id], signingWith: owner))
        #expect(try await ring.inboxEntries(owner: owner.publicKey) == [b])
        await #expect(throws: WireError(.inboxEntryRemoved, "the recipient removed this entry from their inbox already; post a new one")) {
            try await ring.postToInbox(a)
        }
    }

    @Test func capReachesTheSenderAsAnError() async throws {
        let ring = InMemoryRing(inboxLimits: InboxLimits(entriesPerPoster: 2))
        _ = try await ring.postToInbox(try entry(1))
        _ = try await ring.postToInbox(try entry(2))
        do {
            _ = try await ring.postToInbox(try entry(3))
            Issue.record("a third entry passed a cap of two")
        } catch let error as WireError {
            #expect(error.code == .inboxFull)
            #expect(error.message.contains("-operation inbox -remove"))
        }
    }

    @Test func onlyTheOwnerRemoves() async throws {
        let ring = InMemoryRing()
        let a = try entry(1)
        _ = try await ring.postToInbox(a)
        var forged = try InboxRemoval(ids: [a.id], signingWith: poster)
        forged.owner = owner.publicKey
        await #expect(throws: WireError.self) { try await ring.removeFromInbox(forged) }
        #expect(try await ring.inboxEntries(owner: owner.publicKey) == [a])
    }

    @Test func aDroppedInboxIsEmpty() async throws {
        let ring = InMemoryRing()
        _ = try await ring.postToInbox(try entry(1))
        await ring.dropInbox(owner: owner.publicKey)
        #expect(try await ring.inboxEntries(owner: owner.publicKey).isEmpty)
    }
}
