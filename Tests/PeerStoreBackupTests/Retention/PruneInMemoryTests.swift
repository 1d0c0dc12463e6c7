import ChordRing
import Foundation
import PeerStoreModel
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// Prune in-process on `InMemoryRing` with B = 60 s and the ring's clock moved: what it releases, what it keeps
/// (shared blocks, a backup's fresh renewals), a missing retained block, a dry run, and a lost compare-and-swap.
@Suite(.timeLimit(.minutes(1)))
struct PruneInMemoryTests {
    /// Three backups, each changing a.txt (the second also adds b.txt, the third removes it); keep.txt never changes.
    /// All leased, the clock moved past B, the two older forgotten. Returns the snapshots and the blocks only the
    /// forgotten two reference.
    static func history(_ f: PruneFixture) async throws -> (ids: [Identifier], onlyForgotten: Set<Identifier>, bytes: UInt64) {
        let texts = ["version 0 of a\n", "version 1 of a, longer\n", "version 2\n"]
        let b = "only in the second snapshot\n"
        var ids = [try await f.backup(["a.txt": texts[0], "keep.txt": "kept in every snapshot\n"])]
        ids.append(try await f.backup(["a.txt": texts[1], "b.txt": b]))
        try FileManager.default.removeItem(atPath: f.c.src + "/b.txt")
        ids.append(try await f.backup(["a.txt": texts[2]]))
        try await f.leaseEverything()
        await f.ring.advance(seconds: PruneFixture.bound + 1)
        try await f.forget(keepLast: 1)
        let only = try await f.blocks(of: ids[0]).union(try await f.blocks(of: ids[1])).subtracting(try await f.blocks(of: ids[2]))
        return (ids, only, UInt64(texts[0].utf8.count + texts[1].utf8.count + b.utf8.count))
    }

    @Test func forgottenOnlyBlocksAreReleasedCollectedAndTheRetainedSnapshotRestores() async throws {
        let f = try await PruneFixture(prefix: "prune-basic")
        defer { f.c.tmp.remove() }
        let (ids, only, bytes) = try await Self.history(f)
        let kept = try await f.blocks(of: ids[2])
        let pieces = try #require(try await f.c.catalog().head(device: f.c.device)?.pointer.index)
        #expect(only.count >= 6, "two snapshots, two root trees, two chunks at least")

        let outcome = try await f.prune()
        #expect(outcome.heads == 1 && outcome.retainedSnapshots == 1 && outcome.forgottenSnapshots == 2)
        #expect(outcome.retainedBlocks == kept.count + pieces.count)
        #expect(outcome.releasedBlocks == only.count && outcome.releasedBytes == bytes)
        #expect(outcome.stillHeld == 0 && outcome.retainedMissing == 0 && outcome.unreadableForgotten == 0)
        #expect(outcome.droppedSnapshots == 2 && outcome.notices.isEmpty, "\(outcome.notices)")
        let index = try await f.index()
        #expect(index.forgotten.isEmpty && index.retained.map(\.id) == [ids[2]])
        for id in only { #expect(await !f.ring.isLeased(id)) }
        for id in kept { #expect(await f.ring.isLeased(id)) }

        // Once the clock moves, a collection deletes exactly what only the forgotten snapshots referenced.
        await f.ring.advance(seconds: 1)
        #expect(Set(await f.ring.collectContent(grace: 0)) == only)
        #expect(try await f.restoreDifferences() == [])
        // A second prune finds nothing more to release.
        let again = try await f.prune()
        #expect(again.releasedBlocks == 0 && again.droppedSnapshots == 0 && again.forgottenSnapshots == 0)
    }

    @Test func aBlockRenewedWithinBStaysAndTheForgottenListWaits() async throws {
        let f = try await PruneFixture(prefix: "prune-within-b")
        defer { f.c.tmp.remove() }
        let (_, only, _) = try await Self.history(f)
        // A backup on another device found these blocks just before the prune (its have-blocks renewed them).
        _ = try await f.ring.haveBlocks(Array(only), leasing: await f.terms)

        let first = try await f.prune()
        // Only the chunks were released (all still held); the trees and snapshots that name them wait.
        #expect(first.releasedBlocks < only.count && first.stillHeld == first.releasedBlocks && first.droppedSnapshots == 0)
        #expect(first.notices.contains { $0.contains("renewed too recently") && $0.contains("run prune again") }, "\(first.notices)")
        #expect(try await f.index().forgotten.count == 2, "the forgotten list stays until the leases really end")
        for id in only { #expect(await f.ring.isLeased(id)) }
        #expect(await f.ring.collectContent(grace: 0).isEmpty)

        await f.ring.advance(seconds: PruneFixture.bound + 1)
        let second = try await f.prune()
        #expect(second.stillHeld == 0 && second.droppedSnapshots == 2)
        #expect(try await f.index().forgotten.isEmpty)
        for id in only { #expect(await !f.ring.isLeased(id)) }
    }

    @Test func aBlockSharedByARetainedAndAForgottenSnapshotIsNeverReleased() async throws {
        let f = try await PruneFixture(prefix: "prune-shared")
        defer { f.c.tmp.remove() }
        let ids = [try await f.backup(["a.txt": "content A\n"]), try await f.backup(["a.txt": "content B\n"]),
                   try await f.backup(["a.txt": "content A\n"])]
        try await f.leaseEverything()
        await f.ring.advance(seconds: PruneFixture.bound + 1)
        try await f.forget(keepLast: 1)
        let retained = try await f.blocks(of: ids[2])
        let forgotten = try await f.blocks(of: ids[0]).union(try await f.blocks(of: ids[1]))
        let shared = retained.intersection(forgotten)
        #expect(!shared.isEmpty, "content A's chunk is in the first and the last snapshot")

        let outcome = try await f.prune()
        #expect(outcome.releasedBlocks == forgotten.subtracting(retained).count && outcome.releasedBytes == 10)
        for id in shared { #expect(await f.ring.isLeased(id)) }
        await f.ring.advance(seconds: 1)
        #expect(Set(await f.ring.collectContent(grace: 0)) == forgotten.subtracting(retained))
        #expect(try await f.restoreDifferences() == [])
    }

    @Test func aMissingRetainedBlockReleasesNothing() async throws {
        let f = try await PruneFixture(prefix: "prune-missing")
        defer { f.c.tmp.remove() }
        let (ids, only, _) = try await Self.history(f)
        let root = try await f.c.catalog().snapshot(ids[2]).rootTree
        await f.ring.hide(root)

        let error = await #expect(throws: BackupError.self) { _ = try await f.prune() }
        #expect(error?.code == .missingBlock)
        #expect(error?.message.contains("prune stopped before releasing anything") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("-operation check") == true && error?.message.contains("\n") == false)
        for id in only { #expect(await f.ring.isLeased(id)) }
        #expect(try await f.index().forgotten.count == 2)
    }

    @Test func anUnreadableForgottenSnapshotIsCountedAndStaysListed() async throws {
        let f = try await PruneFixture(prefix: "prune-unreadable")
        defer { f.c.tmp.remove() }
        let (ids, _, _) = try await Self.history(f)
        await f.ring.hide(try await f.c.catalog().snapshot(ids[0]).rootTree)

        let outcome = try await f.prune()
        #expect(outcome.unreadableForgotten == 1 && outcome.forgottenSnapshots == 1 && outcome.droppedSnapshots == 1)
        #expect(outcome.notices.contains { $0.contains(ids[0].shortHex()) }, "\(outcome.notices)")
        #expect(try await f.index().forgotten.map(\.id) == [ids[0]])
        #expect(await !f.ring.isLeased(ids[1]))
    }

    @Test func manyUnreadableForgottenSnapshotsAreCountedInFewLines() async throws {
        let f = try await PruneFixture(prefix: "prune-unreadable-many")
        defer { f.c.tmp.remove() }
        var ids: [Identifier] = []
        for n in 0..<8 { ids.append(try await f.backup(["a.txt": "version \(n)\n"])) }
        try await f.forget(keepLast: 1)
        // Their root folders unreadable (their snapshot blocks are there: a snapshot whose block is gone leaves the
        // list, `aForgottenSnapshotWhoseBlockIsGoneLeavesTheList`).
        for id in ids.dropLast() { await f.ring.hide(try await f.c.catalog().snapshot(id).rootTree) }

        let outcome = try await f.prune()
        #expect(outcome.unreadableForgotten == 7 && outcome.forgottenSnapshots == 0 && outcome.droppedSnapshots == 0)
        #expect(outcome.notices.filter { $0.contains("could not be read (") }.count == PruneRunner.namedUnreadable, "\(outcome.notices)")
        #expect(outcome.notices.contains { $0.contains("2 more forgotten snapshots could not be read") }, "\(outcome.notices)")
        #expect(try await f.index().forgotten.count == 7)
    }

    @Test func aForgottenSnapshotWhoseBlockIsGoneLeavesTheList() async throws {
        let f = try await PruneFixture(prefix: "prune-gone")
        defer { f.c.tmp.remove() }
        let first = try await f.backup(["a.txt": "first\n"])
        try await f.backup(["a.txt": "second\n"])
        try await f.forget(keepLast: 1)
        // As when an earlier prune released the snapshot block and the nodes deleted it: nothing of it can be walked.
        await f.ring.hide(first)
        let outcome = try await f.prune()
        #expect(outcome.unreadableForgotten == 1 && outcome.droppedSnapshots == 1, "\(outcome)")
        #expect(outcome.notices.contains { $0.contains("left the list") }, "\(outcome.notices)")
        #expect(try await f.index().forgotten.isEmpty)
        #expect(try await f.restoreDifferences() == [])
    }

    @Test func aDryRunChangesNothing() async throws {
        let f = try await PruneFixture(prefix: "prune-dry")
        defer { f.c.tmp.remove() }
        let (_, only, bytes) = try await Self.history(f)
        let all = await f.ring.blockIDs
        var before: [Identifier: BlockLeases] = [:]
        for id in all { before[id] = await f.ring.leases(of: id) }
        let (puts, head) = (await f.ring.puts, try await f.c.catalog().head(device: f.c.device)?.record.seq)

        let outcome = try await f.prune(dryRun: true)
        #expect(outcome.dryRun && outcome.releasedBlocks == only.count && outcome.releasedBytes == bytes)
        #expect(outcome.stillHeld == 0 && outcome.droppedSnapshots == 0)
        for id in all { #expect(await f.ring.leases(of: id) == before[id]) }
        #expect(await f.ring.puts == puts)
        #expect(try await f.c.catalog().head(device: f.c.device)?.record.seq == head)
        #expect(try await f.index().forgotten.count == 2)
    }

    /// Holds what a hook produced.
    actor Holder {
        var id: Identifier?
        func set(_ id: Identifier) { self.id = id }
    }

    @Test func aLostCompareAndSwapKeepsWhatAConcurrentBackupAdded() async throws {
        let f = try await PruneFixture(prefix: "prune-cas")
        defer { f.c.tmp.remove() }
        let (ids, _, _) = try await Self.history(f)
        let hooked = HookedRing(f.ring)
        let holder = Holder()
        // A backup lands between prune's read of the head and its publish.
        await hooked.beforeNextRecordPut { await holder.set(try await f.backup(["c.txt": "written while prune ran\n"])) }

        let outcome = try await f.prune(on: hooked)
        let concurrent = try #require(await holder.id)
        #expect(outcome.droppedSnapshots == 2)
        let index = try await f.index()
        #expect(index.retained.map(\.id) == [concurrent, ids[2]] && index.forgotten.isEmpty)
        #expect(await hooked.recordPuts == 2, "the lost publish and the one after it")
        #expect(try await f.restoreDifferences() == [])
    }
}
