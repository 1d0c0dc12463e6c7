import ChordRing
import PeerStoreCrypto
import PeerStoreModel
import Testing

/// The inbox rules as a pure value: caps, duplicates, removals and tombstones, merging replicas.
@Suite struct InboxStateTests {
    let owner = SigningKeyPair()

    func entry(_ poster: SigningKeyPair, _ n: Int, size: Int = 16) throws -> InboxEntry {
        try InboxEntry(owner: owner.publicKey, sealed: [UInt8](repeating: UInt8(n & 0xff), count: size), posted: UInt64(n),
                       signingWith: poster)
    }

    func fullError(_ decision: InboxState.Decision) -> ModelError? {
        if case .reject(let error) = decision, error.code == .inboxFull { error } else { nil }
    }

    @Test func storesThenSeesADuplicate() throws {
        var inbox = InboxState(owner: owner.publicKey)
        let e = try entry(SigningKeyPair(), 1)
        #expect(inbox.post(e) == .store)
        #expect(inbox.post(e) == .duplicate)
        #expect(inbox.sortedEntries == [e])
        #expect(inbox.bytes == e.encodedLength)
    }

    @Test func refusesBadEntries() throws {
        var inbox = InboxState(owner: owner.publicKey)
        var tampered = try entry(SigningKeyPair(), 1)
        tampered.sealed[0] ^= 1
        let elsewhere = try InboxEntry(owner: SigningKeyPair().publicKey, sealed: [1], posted: 1, signingWith: SigningKeyPair())
        for bad in [tampered, elsewhere] {
            guard case .reject(let error) = inbox.post(bad) else {
                Issue.record("a bad entry was taken")
                continue
            }
            #expect(error.code == .badInboxEntry)
        }
        var small = InboxState(owner: owner.publicKey, limits: InboxLimits(maxSealedLength: 8))
        guard case .reject(let error) = small.post(try entry(SigningKeyPair(), 1, size: 9)) else {
            Issue.record("an oversized entry was taken")
            return
        }
        #expect(error.code == .badInboxEntry)
        #expect(inbox.entries.isEmpty && small.entries.isEmpty)
    }

    @Test func capsPerPosterAndPerInbox() throws {
        var inbox = InboxState(owner: owner.publicKey, limits: InboxLimits(entriesPerPoster: 3, entriesPerInbox: 5))
        let alice = SigningKeyPair()
        for n in 0..<3 { #expect(inbox.post(try entry(alice, n)) == .store) }
        let perPoster = try #require(fullError(inbox.post(try entry(alice, 3))))
        #expect(perPoster.message.contains("3 entries"))
        #expect(perPoster.message.contains("-operation inbox -remove"))
        let bob = SigningKeyPair()
        for n in 0..<2 { #expect(inbox.post(try entry(bob, n)) == .store) }
        let whole = try #require(fullError(inbox.post(try entry(SigningKeyPair(), 9))))
        #expect(whole.message.contains("inbox is full (5 entries)"))
        #expect(inbox.entries.count == 5)
    }

    @Test func thePerPosterCountFollowsRemovalsReplaysAndMerges() throws {
        let limits = InboxLimits(entriesPerPoster: 2)
        var inbox = InboxState(owner: owner.publicKey, limits: limits)
        let (alice, bob) = (SigningKeyPair(), SigningKeyPair())
        let posted = try (0..<2).map { try entry(alice, $0) }
        for e in posted { #expect(inbox.post(e) == .store) }
        #expect(inbox.post(try entry(bob, 0)) == .store)
        #expect(fullError(inbox.post(try entry(alice, 2))) != nil)
        #expect(inbox.entryCount(of: alice.publicKey) == 2 && inbox.entryCount(of: bob.publicKey) == 1)
        try inbox.apply(try InboxRemoval(ids: [posted[0].id], signingWith: owner))
        #expect(inbox.entryCount(of: alice.publicKey) == 1)
        #expect(inbox.post(try entry(alice, 3)) == .store)
        #expect(fullError(inbox.post(try entry(alice, 4))) != nil)
        // A replayed log takes entries past the cap (they were accepted once); they count against the next post.
        var replayed = InboxState(owner: owner.publicKey, limits: limits)
        for n in 10..<13 { replayed.restore(try entry(alice, n)) }
        #expect(replayed.entryCount(of: alice.publicKey) == 3)
        #expect(fullError(replayed.post(try entry(alice, 13))) != nil)
        // A merge counts what it takes in, and the caps still hold.
        var merged = InboxState(owner: owner.publicKey, limits: limits)
        merged.merge(inbox)
        #expect(merged.entryCount(of: alice.publicKey) == 2 && merged.entryCount(of: bob.publicKey) == 1)
        #expect(merged == inbox)
        #expect(InboxState(owner: owner.publicKey).entryCount(of: alice.publicKey) == 0)
    }

    @Test func capOnBytes() throws {
        let one = try entry(SigningKeyPair(), 0, size: 100).encodedLength
        var inbox = InboxState(owner: owner.publicKey, limits: InboxLimits(bytesPerInbox: 2 * one + 10))
        #expect(inbox.post(try entry(SigningKeyPair(), 1, size: 100)) == .store)
        #expect(inbox.post(try entry(SigningKeyPair(), 2, size: 100)) == .store)
        let error = try #require(fullError(inbox.post(try entry(SigningKeyPair(), 3, size: 100))))
        #expect(error.message.contains("KiB"))
    }

    @Test func removalFreesRoomAndKeepsTombstones() throws {
        var inbox = InboxState(owner: owner.publicKey, limits: InboxLimits(entriesPerInbox: 2))
        let alice = SigningKeyPair()
        let (a, b) = (try entry(alice, 1), try entry(alice, 2))
        inbox.post(a)
        inbox.post(b)
        #expect(fullError(inbox.post(try entry(alice, 3))) != nil)
        #expect(try inbox.apply(try InboxRemoval(ids: [a.id], signingWith: owner)) == 1)
        #expect(inbox.entries.keys.sorted() == [b.id])
        #expect(inbox.bytes == b.encodedLength)
        guard case .reject(let error) = inbox.post(a) else {
            Issue.record("a removed entry was taken again")
            return
        }
        #expect(error.code == .inboxEntryRemoved)
        #expect(inbox.post(try entry(alice, 3)) == .store)
        // The same removal again changes nothing.
        #expect(try inbox.apply(try InboxRemoval(ids: [a.id], signingWith: owner)) == 0)
    }

    @Test func removalMustBeTheOwners() throws {
        var inbox = InboxState(owner: owner.publicKey)
        let e = try entry(SigningKeyPair(), 1)
        inbox.post(e)
        let stranger = try InboxRemoval(ids: [e.id], signingWith: SigningKeyPair())
        var forged = try InboxRemoval(ids: [BlockID.of([1])], signingWith: owner)
        forged.ids = [e.id]
        for bad in [stranger, forged] {
            #expect(throws: ModelError.self) { try inbox.apply(bad) }
        }
        #expect(inbox.entries.count == 1)
        #expect(inbox.tombstones.isEmpty)
    }

    @Test func tombstonesAreBounded() throws {
        var inbox = InboxState(owner: owner.publicKey, limits: InboxLimits(maxTombstones: 4))
        let poster = SigningKeyPair()
        let ids = try (0..<6).map { n in
            let e = try entry(poster, n)
            inbox.post(e)
            return e.id
        }
        for pair in stride(from: 0, to: 6, by: 2) {
            #expect(try inbox.apply(try InboxRemoval(ids: [ids[pair], ids[pair + 1]], signingWith: owner)) == 2)
        }
        #expect(inbox.tombstones == Set(ids[2...]))
        #expect(inbox.removals.count == 2)
        #expect(inbox.entries.isEmpty)
    }

    @Test func aRemovalOfNothingHeldIsNotKept() throws {
        var inbox = InboxState(owner: owner.publicKey)
        let e = try entry(SigningKeyPair(), 1)
        inbox.post(e)
        #expect(try inbox.apply(try InboxRemoval(ids: [BlockID.of([1]), BlockID.of([2])], signingWith: owner)) == 0)
        #expect(inbox.removals.isEmpty && inbox.tombstones.isEmpty)
        // One held id is enough: the removal is kept whole, its other ids become tombstones too.
        let other = BlockID.of([3])
        #expect(try inbox.apply(try InboxRemoval(ids: [e.id, other], signingWith: owner)) == 1)
        #expect(inbox.tombstones == [e.id, other])
    }

    @Test func mergeTakesRemovalsFirstAndKeepsCaps() throws {
        let alice = SigningKeyPair()
        let (a, b, c) = (try entry(alice, 1), try entry(alice, 2), try entry(alice, 3))
        var left = InboxState(owner: owner.publicKey, limits: InboxLimits(entriesPerInbox: 2))
        var right = InboxState(owner: owner.publicKey, limits: InboxLimits(entriesPerInbox: 2))
        left.post(a)
        right.post(a)
        right.post(b)
        try right.apply(try InboxRemoval(ids: [a.id], signingWith: owner))
        right.post(c)
        left.merge(right)
        #expect(Set(left.entries.keys) == [b.id, c.id])
        #expect(left.tombstones == [a.id])
        // Merging is idempotent, and the other way round gives the same inbox.
        let once = left
        left.merge(right)
        #expect(left == once)
        right.merge(once)
        #expect(Set(right.entries.keys) == Set(left.entries.keys))
    }

    @Test func restoreHonoursTombstonesButNotCaps() throws {
        var inbox = InboxState(owner: owner.publicKey, limits: InboxLimits(entriesPerInbox: 1))
        let alice = SigningKeyPair()
        let (a, b) = (try entry(alice, 1), try entry(alice, 2))
        inbox.restore(a)
        inbox.restore(b)
        #expect(inbox.entries.count == 2)
        inbox.restore(try InboxRemoval(ids: [a.id], signingWith: owner))
        inbox.restore(a)
        #expect(inbox.entries.keys.sorted() == [b.id])
    }
}
