import ChordRing
import Foundation
import PeerStoreBackup
import PeerStoreModel
import PeerStoreTestKit
import Testing

/// A recipient's prune leases what a share it keeps references, under the recipient's key, so the sender's prune of
/// the snapshot it came from ends only the sender's leases: the shared file's blocks stay and still restore.
@Suite(.timeLimit(.minutes(1)))
struct PruneShareTests {
    @Test func aKeptShareOutlivesTheSendersForgetAndPrune() async throws {
        let s = try SharingInMemoryTests.Setup()
        defer { s.tmp.remove() }
        await s.ring.setLeaseBackupBound(PruneFixture.bound)
        _ = try await s.backup()
        let shared = try await s.share("docs/big.bin")
        guard case .manifest(let manifestID, let key) = shared.grant.content else {
            Issue.record("a 3 MiB file is shared by its manifest")
            return
        }
        let manifest = try FileManifest.open(try await BlockFetcher(client: s.ring).fetch(manifestID, what: "manifest"), sessionKey: key)
        let blocks = Set([manifestID] + manifest.chunks.map(\.blockID))
        // As Alice's backups will: her blocks leased under her key.
        _ = try await s.ring.lease(await s.ring.blockIDs, terms: LeaseTerms(keys: s.alice.signing, issuedAt: await s.ring.now))

        func prune(_ who: Identity, names: [String] = []) async throws -> PruneRunner.Outcome {
            let now = await s.ring.now
            return try await PruneRunner(catalog: SnapshotCatalog(client: s.ring, identity: who), now: { now }).run(alsoNames: names)
        }
        let bob = try await prune(s.bob)
        #expect(bob.heads == 0 && bob.shares == 1 && bob.retainedBlocks == blocks.count && bob.releasedBlocks == 0)
        for id in blocks { #expect(await s.ring.leases(of: id)?.leases.count == 2, "Alice's and Bob's") }

        // Alice drops the file, forgets the snapshot that had it and prunes, past B.
        await s.ring.advance(seconds: PruneFixture.bound + 1)
        let original = try #require(s.contents(s.src + "/docs/big.bin"))
        try FileManager.default.removeItem(atPath: s.src + "/docs/big.bin")
        _ = try await s.backup()
        _ = try await ForgetRunner(catalog: SnapshotCatalog(client: s.ring, identity: s.alice)).run(device: "d", policy: RetentionPolicy(last: 1), dryRun: false)
        let alice = try await prune(s.alice, names: ["d"])
        #expect(alice.releasedBlocks > blocks.count && alice.stillHeld == 0 && alice.droppedSnapshots == 1)
        for id in blocks { #expect(await s.ring.isLeased(id), "Bob's lease stays") }

        await s.ring.advance(seconds: 1)
        let collected = Set(await s.ring.collectGarbage(grace: 0))
        #expect(!collected.isEmpty && collected.isDisjoint(with: blocks))
        let out = try await s.restore("1", as: s.bob, to: "out")
        #expect(s.contents(out) == original)
    }
}
