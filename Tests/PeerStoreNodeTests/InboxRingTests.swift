import ChordRing
import Foundation
import PeerStoreBackup
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreTestKit
import PeerStoreWire
import Testing

/// Inboxes on a ring of real `peerstore-server` processes, through `RingClient`: replicated on k nodes before the post
/// is answered, listed whole after a kill -9, repaired by anti-entropy, caps and refusals reaching the sender.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct InboxRingTests {
    let owner = SigningKeyPair()

    func ringClient(via server: ServerProcess, as keys: SigningKeyPair) async throws -> RingClient {
        let entry = try await WireClient.connect(to: PeerAddress(host: "127.0.0.1", port: server.port),
                                                 secure: .openDemo(identity: keys), connectTimeout: .seconds(5))
        return try await RingClient.start(entry: entry, secure: .openDemo(identity: keys))
    }

    /// The entries `server` alone holds of the owner's inbox (a placed read: its own store only).
    func localEntries(_ server: ServerProcess) async throws -> Set<Identifier> {
        let client = try await WireClient.connect(to: PeerAddress(host: "127.0.0.1", port: server.port), secure: .openDemo())
        defer { Task { await client.close() } }
        guard case .inboxEntries(let entries) = try await client.request(.placedPut(role: .local, put: .inboxList(owner: owner.publicKey)))
        else { throw TestKitError("\(server.address) did not answer an inbox listing") }
        return Set(entries.map(\.id))
    }

    func entry(_ n: Int, by keys: SigningKeyPair) throws -> InboxEntry {
        try InboxEntry(owner: owner.publicKey, sealed: Array("sealed share \(n)".utf8), posted: UInt64(1_700_000_000 + n),
                       signingWith: keys)
    }

    /// The server that owns the owner's inbox key on `ring`.
    func inboxOwner(_ ring: LocalRing) throws -> ServerProcess {
        let ids = try ring.servers.map { try LiveRingTests().nodeID($0) }
        let placement = SortedRingPlacement(nodes: ids.map { NodeIdentity(id: $0, address: "") })
        let ownerID = placement.nodes[try #require(placement.ownerIndex(of: InboxKey.of(owner: owner.publicKey)))].id
        return ring.servers[try #require(ids.firstIndex(of: ownerID))]
    }

    @Test func anInboxOnThreeReplicasSurvivesTheKillOfItsOwner() async throws {
        let tmp = try TemporaryDirectory(prefix: "inbox-ring")
        defer { tmp.remove() }
        let ring = try LocalRing(nodes: 3, in: tmp, arguments: ["-stabilizeInterval", "0.2", "-replicas", "3", "-antiEntropyInterval", "600"])
        defer { ring.stopAll() }
        try await ring.converge()
        let (alice, carol) = (SigningKeyPair(), SigningKeyPair())
        let aliceRing = try await ringClient(via: ring.first, as: alice)
        let carolRing = try await ringClient(via: ring.servers[1], as: carol)
        var posted: [InboxEntry] = []
        for n in 0..<6 {
            let e = try entry(n, by: n % 2 == 0 ? alice : carol)
            #expect(try await (n % 2 == 0 ? aliceRing : carolRing).postToInbox(e))
            posted.append(e)
        }
        #expect(try await !aliceRing.postToInbox(posted[0]))
        await carolRing.close()
        // Replicated before each post was answered: every node holds every entry.
        for server in ring.servers { #expect(try await localEntries(server) == Set(posted.map(\.id)), "\(server.address)") }

        let victim = try inboxOwner(ring)
        victim.kill()
        let survivor = try #require(ring.servers.first { $0 !== victim })
        let ownerRing = try await ringClient(via: survivor, as: owner)
        defer { Task { await ownerRing.close() } }
        let listed = try await ownerRing.inboxEntries(owner: owner.publicKey)
        #expect(Set(listed.map(\.id)) == Set(posted.map(\.id)))
        #expect(listed.map(\.posted) == listed.map(\.posted).sorted())
        // The client that knew the dead owner falls back to the next holder.
        #expect(try await aliceRing.inboxEntries(owner: owner.publicKey).count == posted.count)

        // With the owner gone, the inbox still takes removals and posts.
        try await ownerRing.removeFromInbox(try InboxRemoval(ids: [posted[1].id, posted[2].id], signingWith: owner))
        let later = try entry(9, by: alice)
        #expect(try await aliceRing.postToInbox(later))
        let now = Set(try await ownerRing.inboxEntries(owner: owner.publicKey).map(\.id))
        #expect(now == Set(posted.map(\.id)).subtracting([posted[1].id, posted[2].id]).union([later.id]))
        await #expect(throws: WireError.self) { _ = try await aliceRing.postToInbox(posted[1]) }
        await aliceRing.close()
    }

    @Test func capsAndRefusalsReachTheSender() async throws {
        let tmp = try TemporaryDirectory(prefix: "inbox-caps")
        defer { tmp.remove() }
        let ring = try LocalRing(nodes: 1, in: tmp, arguments: [])
        defer { ring.stopAll() }
        let sender = SigningKeyPair()
        let client = try await ringClient(via: ring.first, as: sender)
        defer { Task { await client.close() } }
        let cap = InboxLimits.standard.entriesPerPoster
        for n in 0..<cap { #expect(try await client.postToInbox(try entry(n, by: sender))) }
        do {
            _ = try await client.postToInbox(try entry(cap, by: sender))
            Issue.record("post \(cap + 1) of one sender was taken")
        } catch let error as WireError {
            #expect(error.code == .inboxFull)
            #expect(error.message.contains("\(cap) entries") && error.message.contains("-operation inbox -remove"), "\(error.message)")
        }
        // An entry signed by someone else than the connection's user is refused; so is a removal not by the owner.
        do {
            _ = try await client.postToInbox(try entry(0, by: SigningKeyPair()))
            Issue.record("an entry signed by another key than the connection's was taken")
        } catch let error as WireError {
            #expect(error.code == .forbidden && error.message.contains("posted by its poster"), "\(error)")
        }
        var forged = try InboxRemoval(ids: [try entry(0, by: sender).id], signingWith: sender)
        forged.owner = owner.publicKey
        do {
            try await client.removeFromInbox(forged)
            Issue.record("a removal signed by someone else than the owner was taken")
        } catch let error as WireError {
            #expect(error.code == .badInboxEntry, "\(error)")
        }
        #expect(try await client.inboxEntries(owner: owner.publicKey).count == cap)
    }

    @Test func antiEntropyBringsANodeThatWasDownUpToDate() async throws {
        let tmp = try TemporaryDirectory(prefix: "inbox-repair")
        defer { tmp.remove() }
        let arguments = ["-stabilizeInterval", "0.2", "-replicas", "3", "-antiEntropyInterval", "1"]
        let ring = try LocalRing(nodes: 3, in: tmp, arguments: arguments)
        defer { ring.stopAll() }
        try await ring.converge()
        let ids = try ring.ids()
        let inboxHolder = try inboxOwner(ring)
        let away = try #require(ring.servers.first { $0 !== inboxHolder })
        let poster = SigningKeyPair()
        let client = try await ringClient(via: inboxHolder, as: poster)
        defer { Task { await client.close() } }
        let early = try entry(1, by: poster)
        _ = try await client.postToInbox(early)
        away.kill()
        let missed = try (2..<5).map { try entry($0, by: poster) }
        for e in missed { _ = try await client.postToInbox(e) }
        try await client.removeFromInbox(try InboxRemoval(ids: [early.id], signingWith: owner))

        let back = try ServerProcess(dataPath: away.dataPath, extraArguments: arguments + ["-initialPeerAddr", inboxHolder.address])
        defer { back.stop() }
        _ = try await LiveRingTests().waitForRing(from: inboxHolder.address, ids: ids)
        let want = Set(missed.map(\.id))
        let deadline = Date().addingTimeInterval(30)
        var seen: Set<Identifier> = []
        while Date() < deadline {
            seen = try await localEntries(back)
            if seen == want { break }
            try await Task.sleep(for: .milliseconds(300))
        }
        #expect(seen == want, "the node that was down holds \(seen.count) of \(want.count) entries, or still the removed one")
    }

    @Test func aListingThroughAHolderThatWasDownIsWholeAndRepairsIt() async throws {
        let tmp = try TemporaryDirectory(prefix: "inbox-read-repair")
        defer { tmp.remove() }
        // Anti-entropy is off (600 s rounds): only the listing can repair.
        let arguments = ["-stabilizeInterval", "0.2", "-replicas", "3", "-antiEntropyInterval", "600"]
        let ring = try LocalRing(nodes: 3, in: tmp, arguments: arguments)
        defer { ring.stopAll() }
        try await ring.converge()
        let ids = try ring.ids()
        let holder = try inboxOwner(ring)
        let away = try #require(ring.servers.first { $0 !== holder })
        away.kill()
        let poster = SigningKeyPair()
        let client = try await ringClient(via: holder, as: poster)
        let missed = try (0..<3).map { try entry($0, by: poster) }
        for e in missed { _ = try await client.postToInbox(e) }
        await client.close()

        let back = try ServerProcess(dataPath: away.dataPath, extraArguments: arguments + ["-initialPeerAddr", holder.address])
        defer { back.stop() }
        _ = try await LiveRingTests().waitForRing(from: holder.address, ids: ids)
        #expect(try await localEntries(back).isEmpty)
        let direct = try await WireClient.connect(to: PeerAddress(host: "127.0.0.1", port: back.port), secure: .openDemo(identity: poster))
        defer { Task { await direct.close() } }
        #expect(Set(try await direct.inboxEntries(owner: owner.publicKey).map(\.id)) == Set(missed.map(\.id)))
        #expect(try await localEntries(back) == Set(missed.map(\.id)))
    }

    /// k = 2 on four nodes, anti-entropy slowed to 600 s: when the inbox's owner leaves with SIGTERM, only its hand-off
    /// can put the inbox's entries (those not removed) on the node that joins its replica set.
    @Test func aLeavingOwnerHandsTheInboxOn() async throws {
        let tmp = try TemporaryDirectory(prefix: "inbox-leave")
        defer { tmp.remove() }
        let ring = try LocalRing(nodes: 4, in: tmp, arguments: ["-stabilizeInterval", "0.2", "-replicas", "2", "-antiEntropyInterval", "600"])
        defer { ring.stopAll() }
        try await ring.converge()
        let ids = try ring.servers.map { try LiveRingTests().nodeID($0) }
        let order = ids.indices.sorted { ids[$0] < ids[$1] }.map { ring.servers[$0] }
        let leaving = try inboxOwner(ring)
        let at = try #require(order.firstIndex { $0 === leaving })
        let (replica, newcomer) = (order[(at + 1) % 4], order[(at + 2) % 4])

        let poster = SigningKeyPair()
        let client = try await ringClient(via: leaving, as: poster)
        let entries = try (0..<4).map { try entry($0, by: poster) }
        for e in entries { _ = try await client.postToInbox(e) }
        try await client.removeFromInbox(try InboxRemoval(ids: [entries[0].id], signingWith: owner))
        await client.close()
        let kept = Set(entries.dropFirst().map(\.id))
        #expect(try await localEntries(replica) == kept)
        #expect(try await localEntries(newcomer).isEmpty)

        #expect(leaving.stop() == 0)
        #expect(try await localEntries(newcomer) == kept)
        #expect(try await localEntries(replica) == kept)
    }
}
