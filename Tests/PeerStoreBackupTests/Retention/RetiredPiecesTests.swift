import ChordRing
import Foundation
import PeerStoreModel
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// Superseded index and sync-state pieces are retired by the home that superseded them and released by its prune,
/// never while a head names them (two devices whose sync states are alike share their pieces).
@Suite(.timeLimit(.minutes(1)))
struct RetiredPiecesTests {
    @Test func theFileKeepsOrderBoundAndRefusesGarbage() throws {
        let tmp = try TemporaryDirectory(prefix: "retired-file")
        defer { tmp.remove() }
        let home = ClientHome(path: tmp.sub("home"))
        _ = try home.ensureInitialised()
        let retired = RetiredPieces(home: home)
        let ids = (0..<4).map { BlockID.of([UInt8($0)]) }
        try retired.retire(previous: [ids[0], ids[1]], current: [ids[1]])
        try retired.retire(previous: [ids[0], ids[2], ids[3]], current: [])
        #expect(try retired.load() == [ids[0], ids[2], ids[3]])
        try Data("not a list\n".utf8).write(to: URL(fileURLWithPath: retired.path))
        #expect(throws: BackupError.self) { try retired.load() }
    }

    @Test func aPruneReleasesRetiredSyncPiecesButNotOnesAnotherDevicesHeadNames() async throws {
        let s = try SyncDevices(prefix: "retired-sync")
        defer { s.tmp.remove() }
        await s.ring.setLeaseBackupBound(60)
        try s.write("a", "one.txt", "one\n")
        try await s.sync("a")
        try await s.sync("b")
        try await s.sync("a")
        let store = SyncHeadStore(client: s.ring, identity: s.identity, heads: nil, folder: s.folder)
        let aBefore = try #require(try await store.read(s["a"].id, name: "a")).head.pieces
        let bHead = try #require(try await store.read(s["b"].id, name: "b")).head.pieces
        // Device a changes; its old pieces are retired in its home, b's head still names whatever it shares with them.
        try s.write("a", "two.txt", "two\n")
        try await s.sync("a")
        let aAfter = try #require(try await store.read(s["a"].id, name: "a")).head.pieces
        let retired = try RetiredPieces(home: s["a"].home).load()
        #expect(Set(retired).isSuperset(of: Set(aBefore).subtracting(aAfter)) && Set(retired).isDisjoint(with: aAfter))
        #expect(!Set(aBefore).subtracting(aAfter).isEmpty)

        await s.ring.advance(seconds: 61)
        let now = await s.ring.now
        let catalog = SnapshotCatalog(client: s.ring, identity: s.identity, heads: HeadMemory(home: s["a"].home))
        let outcome = try await PruneRunner(catalog: catalog, now: { now }).run()
        let shared = Set(retired).intersection(bHead)
        #expect(!shared.isEmpty, "b, synced to the same state, names a piece a retired")
        #expect(outcome.retiredReleased == retired.count - shared.count)
        #expect(try RetiredPieces(home: s["a"].home).load().sorted() == shared.sorted())
        await s.ring.advance(seconds: 10)
        let deleted = Set(await s.ring.collectGarbage(grace: 5))
        #expect(deleted.isSuperset(of: Set(retired).subtracting(shared)))
        #expect(deleted.isDisjoint(with: bHead + aAfter))
        // Both devices' states still open, and a round on each still works.
        try await s.sync("b")
        try await s.sync("a")
        #expect(s.read("b", "two.txt") == "two\n")
    }
}
