import Foundation
import Logging
@testable import PeerStoreBackup
import ChordRing
import PeerStoreTestKit
import Testing

/// Sync rounds of two or three devices through an in-memory ring, in-process.
@Suite(.timeLimit(.minutes(1)))
struct SyncInMemoryTests {
    @Test func editsFoldersLinksModesAndEmptyFilesCarryOver() async throws {
        let s = try SyncDevices(prefix: "sync-carry")
        defer { s.tmp.remove() }
        let a = s["a"].dir
        try s.write("a", "notes.txt", "one")
        try s.write("a", "deep/er/file.md", "deep")
        try Data().write(to: URL(fileURLWithPath: a + "/empty"))
        try FileManager.default.createDirectory(atPath: a + "/emptydir", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: a + "/link", withDestinationPath: "notes.txt")
        chmod(a + "/notes.txt", 0o600)
        chmod(a + "/emptydir", 0o700)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_500_000_000)], ofItemAtPath: a + "/deep/er/file.md")
        let first = try await s.sync("a")
        #expect(first.downloaded == 0 && first.devicesSeen == 0)
        let second = try await s.sync("b")
        #expect(second.devicesSeen == 1)
        #expect(second.downloaded == 7)
        #expect(s.differences("a", "b") == [])

        try s.write("a", "notes.txt", "two, edited on a")
        try await s.sync("a")
        try await s.sync("b")
        #expect(s.read("b", "notes.txt") == "two, edited on a")
        #expect(s.differences("a", "b") == [])

        // A further round changes nothing on either side.
        let again = try await s.sync("b")
        #expect(again.downloaded + again.deleted + again.renamed == 0)
    }

    @Test func aRoundThatChangesNothingLeavesTheHeadAsItIs() async throws {
        let s = try SyncDevices(prefix: "sync-quiet")
        defer { s.tmp.remove() }
        try s.write("a", "notes.txt", "one")
        let store = SyncHeadStore(client: s.ring, identity: s.identity, heads: nil, folder: s.folder)
        func seq(_ name: String) async throws -> UInt64 { try await s.ring.getRecord(key: store.key(s[name].id))?.seq ?? 0 }
        let firstA = try await s.sync("a")
        let firstB = try await s.sync("b")
        #expect(firstA.published && firstB.published, "a first round publishes, even with nothing to fetch")
        let a = try await seq("a"), b = try await seq("b")
        #expect(a > 0 && b > 0)
        for name in ["a", "b", "a"] {
            let round = try await s.sync(name)
            #expect(!round.published, "\(name): nothing changed here or elsewhere")
        }
        let quietA = try await seq("a"), quietB = try await seq("b")
        #expect(quietA == a && quietB == b)

        // A change here, or one made elsewhere, publishes again.
        try s.write("b", "notes.txt", "two")
        let changed = try await s.sync("b")
        #expect(changed.published)
        let newB = try await seq("b")
        #expect(newB > b)
        let pulled = try await s.sync("a")
        #expect(pulled.published && pulled.downloaded == 1)
        let newA = try await seq("a")
        #expect(newA > a)
        #expect(s.read("a", "notes.txt") == "two")
    }

    @Test func aRoundAfterACleanOneWithNothingNewSkipsTheMerge() async throws {
        let s = try SyncDevices(prefix: "sync-memo")
        defer { s.tmp.remove() }
        try s.write("a", "notes.txt", "one")
        try await s.sync("a")
        try await s.sync("b")
        let settledA = try await s.sync("a")
        #expect(!settledA.unchangedSinceLastRound, "b published since a's last round")
        for name in ["a", "b", "a"] {
            let quiet = try await s.sync(name)
            #expect(quiet.unchangedSinceLastRound && !quiet.published, "\(name)")
        }
        // A change on disk, and a head another device published, each make the next round a full one.
        try s.write("a", "notes.txt", "two")
        let edited = try await s.sync("a")
        #expect(!edited.unchangedSinceLastRound && edited.published)
        let pulled = try await s.sync("b")
        #expect(!pulled.unchangedSinceLastRound && pulled.downloaded == 1)
        #expect(s.read("b", "notes.txt") == "two")
        // A memo that cannot be read costs one full round, nothing else.
        try Data("junk".utf8).write(to: URL(fileURLWithPath: SyncMemo.path(home: s["b"].home, folder: s.folder)))
        let full = try await s.sync("b")
        #expect(!full.unchangedSinceLastRound && !full.published)
        let quiet = try await s.sync("b")
        #expect(quiet.unchangedSinceLastRound)
    }

    /// A round that changes nothing (with the memo's short path or without it) writes no snapshot of
    /// `<device>:<folder>`: its backup is `-skipIfUnchanged`, so the history and the backup head stay as they are.
    @Test func aRoundThatChangesNothingWritesNoSnapshot() async throws {
        let s = try SyncDevices(prefix: "sync-no-snapshot")
        defer { s.tmp.remove() }
        try s.write("a", "notes.txt", "one")
        try await s.sync("a")
        try await s.sync("b")
        let settled = try await s.sync("a")
        let catalog = SnapshotCatalog(client: s.ring, identity: s.identity)
        func state() async throws -> (ids: [Identifier], seq: UInt64) {
            let ids = try await catalog.history(device: "a:docs").map(\.id)
            return (ids, try await catalog.head(device: "a:docs")?.record.seq ?? 0)
        }
        let before = try await state()
        #expect(before.ids.first == settled.snapshotID)
        let quiet = try await s.sync("a")
        #expect(quiet.unchangedSinceLastRound && quiet.scan.unchanged && quiet.snapshotID == settled.snapshotID)
        // Without the memo the round merges, and still writes no snapshot.
        SyncMemo.forget(home: s["a"].home, folder: s.folder)
        let full = try await s.sync("a")
        #expect(!full.unchangedSinceLastRound && full.scan.unchanged && !full.published && full.snapshotID == settled.snapshotID)
        let after = try await state()
        #expect(after.ids == before.ids && after.seq == before.seq)
        let memoed = try await s.sync("a")
        #expect(memoed.unchangedSinceLastRound, "the short path still works after a round that wrote no snapshot")

        // A round that fetches a change writes one snapshot (the scan found nothing new here), and a round after an edit
        // here one too.
        try s.write("b", "notes.txt", "two")
        try await s.sync("b")
        let pulled = try await s.sync("a")
        #expect(pulled.downloaded == 1 && pulled.scan.unchanged && pulled.snapshotID != settled.snapshotID)
        try s.write("a", "more.txt", "more")
        let edited = try await s.sync("a")
        #expect(!edited.scan.unchanged)
        let last = try await state()
        #expect(last.ids == [edited.snapshotID, pulled.snapshotID] + before.ids)
    }

    @Test func theMemoRoundTripsAndRefusesJunk() throws {
        let memo = SyncMemo(own: 7, root: Identifier(bytes: [UInt8](repeating: 3, count: 32))!,
                            remotes: [DeviceID(bytes: [UInt8](repeating: 1, count: 16))!: 4, DeviceID.random(): 0])
        #expect(SyncMemo.parse(memo.rendered()) == memo)
        #expect(SyncMemo.parse("peerstore-sync-memo 2\nown 1\nroot 00\n") == nil)
        #expect(SyncMemo.parse(memo.rendered() + "remote zz 1\n") == nil)
    }

    @Test func concurrentEditsKeepBothVersionsOnBothDevices() async throws {
        let s = try SyncDevices(prefix: "sync-conflict")
        defer { s.tmp.remove() }
        try s.write("a", "doc.txt", "base")
        try await s.sync("a")
        try await s.sync("b")
        try s.write("a", "doc.txt", "version from a")
        try s.write("b", "doc.txt", "version from b, longer")
        try await s.sync("a")
        let b = try await s.sync("b")
        #expect(b.conflicts == 1)
        try await s.sync("a")
        #expect(s.differences("a", "b") == [])
        let names = s.listing("a")
        #expect(names.count == 2)
        let copy = try #require(names.first { $0.contains(".sync-conflict-") })
        #expect(copy.hasPrefix("doc.sync-conflict-") && copy.hasSuffix(".txt"))
        #expect(Set([s.read("a", "doc.txt"), s.read("a", copy)]) == ["version from a", "version from b, longer"])
    }

    @Test func deletesTravelAndStayRestorable() async throws {
        let s = try SyncDevices(prefix: "sync-delete")
        defer { s.tmp.remove() }
        try s.write("a", "keep.txt", "keep")
        try s.write("a", "gone.txt", "precious")
        try s.write("a", "old-name.txt", "renamed")
        try await s.sync("a")
        try await s.sync("b")
        try FileManager.default.removeItem(atPath: s["a"].dir + "/gone.txt")
        try FileManager.default.moveItem(atPath: s["a"].dir + "/old-name.txt", toPath: s["a"].dir + "/new-name.txt")
        try await s.sync("a")
        let b = try await s.sync("b")
        #expect(b.deleted == 1 && b.renamed == 1 && b.downloaded == 0, "a rename moves the file, nothing is fetched")
        #expect(s.listing("b") == ["keep.txt", "new-name.txt"])
        #expect(s.differences("a", "b") == [])

        // Every synced state is a snapshot of "<device>:<folder>": the deleted file comes back from an earlier one.
        let catalog = SnapshotCatalog(client: s.ring, identity: s.identity)
        let history = try await catalog.history(device: "b:docs")
        #expect(history.count >= 2)
        let restorer = Restorer(client: s.ring, identity: s.identity, logger: Logger(label: "test"))
        let out = s.tmp.sub("restored.txt")
        let earlier = try #require(history.first { $0.snapshot.files == 3 })
        #expect(try await catalog.chosen(device: "b:docs", prefix: String(earlier.id.hex.prefix(10))).id == earlier.id)
        await #expect(throws: BackupError.self) { try await catalog.chosen(device: "b:docs", prefix: "nothex") }
        _ = try await restorer.restoreFile("gone.txt", from: earlier.snapshot, to: out, force: false)
        #expect(FileManager.default.contents(atPath: out) == Data("precious".utf8))
    }

    @Test func aDeviceThatStopsSyncingAFolderIsNoLongerMergedAndKeepsItsSnapshots() async throws {
        let s = try SyncDevices(prefix: "sync-stop")
        defer { s.tmp.remove() }
        try s.write("a", "a.txt", "from a")
        try await s.sync("a")
        #expect(try await s.sync("b").devicesSeen == 1)
        try await DeviceRegistry.stopSync(ring: s.ring, identity: s.identity, home: s["a"].home, folder: s.folder)
        let list = try await DeviceRegistry.load(ring: s.ring, identity: s.identity)
        #expect(list.devices(syncing: s.folder).map(\.device.id) == [s["b"].id])
        #expect(list[s["a"].id] != nil, "the device stays on the list")
        #expect(try await s.sync("b").devicesSeen == 0)
        #expect(s.read("b", "a.txt") == "from a", "what was synced stays")
        #expect(try await SnapshotCatalog(client: s.ring, identity: s.identity).history(device: "a:docs").count >= 1)
        let again = await #expect(throws: BackupError.self) {
            try await DeviceRegistry.stopSync(ring: s.ring, identity: s.identity, home: s["a"].home, folder: s.folder)
        }
        #expect(again?.message == "this device does not sync a folder 'docs' (see -operation devices); nothing was changed")
    }

    @Test func aSyncHeadTheRingNoLongerServesStopsTheRoundAndKeepsLocalEdits() async throws {
        let s = try SyncDevices(prefix: "sync-lost-head")
        defer { s.tmp.remove() }
        try s.write("a", "doc.txt", "base")
        try await s.sync("a")
        try await s.sync("b")
        try s.write("b", "doc.txt", "edited on b")
        try await s.sync("b")
        try s.write("a", "doc.txt", "edited on a since")
        let head = SyncHeadStore(client: s.ring, identity: s.identity, heads: nil, folder: s.folder).key(s["a"].id)
        await s.ring.dropRecord(key: head)
        await #expect { try await s.sync("a") } throws: {
            ($0 as? BackupError)?.code == .staleHead && "\($0)".contains("did not serve the sync state")
        }
        #expect(s.read("a", "doc.txt") == "edited on a since")
    }

    @Test func anInterruptedFetchsTempFileIsNotSynced() async throws {
        let s = try SyncDevices(prefix: "sync-temp")
        defer { s.tmp.remove() }
        try s.write("a", "real.txt", "real")
        try s.write("a", ".real.txt.peerstore-0123456789ab", "half a fetch")
        try await s.sync("a")
        try await s.sync("b")
        #expect(s.listing("b") == ["real.txt"])
    }

    @Test func threeDevicesConverge() async throws {
        let s = try SyncDevices(prefix: "sync-three", names: ["a", "b", "c"])
        defer { s.tmp.remove() }
        try s.write("a", "x", "from a")
        try s.write("b", "y", "from b")
        try s.write("c", "x", "also x, from c")
        for name in ["a", "b", "c", "a", "b", "c"] { try await s.sync(name) }
        #expect(s.differences("a", "b") == [] && s.differences("a", "c") == [])
        #expect(s.listing("a").count == 3)
    }

    @Test func twoSyncsOfOneFolderAtOnceAreRefused() throws {
        let s = try SyncDevices(prefix: "sync-lock", names: ["a"])
        defer { s.tmp.remove() }
        let lock = try BackupLock.sync(home: s["a"].home, folder: "docs")
        defer { lock.release() }
        #expect(throws: BackupError.self) { try BackupLock.sync(home: s["a"].home, folder: "docs") }
        _ = try BackupLock.sync(home: s["a"].home, folder: "other")
    }
}
