import ChordRing
import Foundation
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// A version 1 head (older builds: no index, the history is the parent chain): prune keeps the whole chain, and a
/// chain it cannot read stops it before anything is renewed or released.
@Suite(.timeLimit(.minutes(1)))
struct PruneVersion1Tests {
    /// Three backups, then the head rewritten as version 1 (`snapshot | time`) naming the third.
    static func version1History(_ f: PruneFixture) async throws -> [Identifier] {
        var ids: [Identifier] = []
        for n in 0..<3 { ids.append(try await f.backup(["a.txt": "version \(n)\n"])) }
        let c = f.c
        try await UnreadableHistoryTests.rewriteHeadAsVersion1(c)
        #expect(try await c.catalog().head(device: c.device)?.pointer.index == nil)
        return ids
    }

    @Test func theWholeParentChainIsKeptAndNothingIsPublished() async throws {
        let f = try await PruneFixture(prefix: "prune-v1")
        defer { f.c.tmp.remove() }
        let ids = try await Self.version1History(f)
        let seq = try await f.c.catalog().head(device: f.c.device)?.record.seq
        let outcome = try await f.prune()
        #expect(outcome.heads == 1 && outcome.retainedSnapshots == 3 && outcome.releasedBlocks == 0 && outcome.droppedSnapshots == 0)
        for id in ids {
            for block in try await f.blocks(of: id) { #expect(await f.ring.isLeased(block)) }
        }
        #expect(try await f.c.catalog().head(device: f.c.device)?.record.seq == seq)
    }

    @Test func aChainWithAMissingSnapshotStopsThePrune() async throws {
        let f = try await PruneFixture(prefix: "prune-v1-gap")
        defer { f.c.tmp.remove() }
        let ids = try await Self.version1History(f)
        await f.ring.hide(ids[1])
        await f.ring.advance(seconds: 10)
        let before = await f.ring.leases(of: ids[2])
        let error = await #expect(throws: BackupError.self) { _ = try await f.prune() }
        #expect(error?.code == .missingBlock && error?.message.contains("prune stopped before releasing anything") == true)
        #expect(await f.ring.leases(of: ids[2]) == before, "nothing was renewed either")
    }
}
