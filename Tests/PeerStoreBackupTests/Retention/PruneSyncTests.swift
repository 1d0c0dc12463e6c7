import ChordRing
import Foundation
import Logging
import PeerStoreModel
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// Prune keeps what a sync head names even when forget dropped that snapshot from the folder's history.
@Suite(.timeLimit(.minutes(1)))
struct PruneSyncTests {
    @Test func aSyncHeadsSnapshotThatForgetDroppedStaysReferenced() async throws {
        let s = try SyncDevices(prefix: "prune-sync", names: ["a"])
        defer { s.tmp.remove() }
        let a = s["a"]
        let name = SyncRunner.snapshotDevice(device: a.name, folder: s.folder)
        await s.ring.setLeaseBackupBound(PruneFixture.bound)
        try s.write("a", "f.txt", "synced version\n")
        let round = try await s.sync("a")
        #expect(round.published)
        // A round that died after its scan: a newer snapshot of the folder, the sync head still on the old one.
        try s.write("a", "f.txt", "scanned, never published\n")
        let newer = try await BackupRunner(client: s.ring, identity: s.identity, logger: Logger(label: "test"), heads: HeadMemory(home: a.home))
            .run(localPath: a.dir, device: name)
        #expect(newer.snapshotID != round.snapshotID)
        let catalog = SnapshotCatalog(client: s.ring, identity: s.identity, heads: HeadMemory(home: a.home))
        _ = try await s.ring.lease(await s.ring.blockIDs, terms: LeaseTerms(keys: s.identity.signing, issuedAt: await s.ring.now))
        await s.ring.advance(seconds: PruneFixture.bound + 1)
        let forget = try await ForgetRunner(catalog: catalog).run(device: name, policy: RetentionPolicy(last: 1), dryRun: false)
        #expect(forget.removed.map(\.entry.id) == [round.snapshotID])

        let now = await s.ring.now
        let outcome = try await PruneRunner(catalog: catalog, now: { now }).run()
        #expect(outcome.syncHeads == 1 && outcome.forgottenStillReferenced == 1)
        #expect(outcome.releasedBlocks == 0 && outcome.droppedSnapshots == 0)
        let synced = try await ReplicaCheck(catalog: catalog).blockIDs(snapshotID: round.snapshotID,
                                                                       snapshot: try await catalog.snapshot(round.snapshotID))
        for id in synced { #expect(await s.ring.isLeased(id)) }
        let head = try #require(try await catalog.head(device: name))
        #expect(try await catalog.index(of: head.pointer).forgotten.map(\.id) == [round.snapshotID])
        await s.ring.advance(seconds: 1)
        #expect(await s.ring.collectContent(grace: 0).isEmpty)
    }
}
