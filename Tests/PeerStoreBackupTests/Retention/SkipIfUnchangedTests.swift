import ChordRing
import Foundation
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// `-skipIfUnchanged`: a backup that would store the folder as the head's snapshot stores it writes no snapshot,
/// moves no head and leaves the index alone; any change to the folder (its mode, its mtime, a file deep inside) still
/// makes a snapshot.
@Suite struct SkipIfUnchangedTests {
    static func snapshot(tree: UInt8 = 1, mode: UInt32 = 0o755, mtime: Int64 = 10, path: String = "/src") -> Snapshot {
        Snapshot(time: 1, device: "d", hostname: "h", rootPath: path, rootMode: mode, rootMtime: Timestamp(seconds: mtime, nanoseconds: 0),
                 rootTree: Identifier(bytes: [UInt8](repeating: tree, count: 32))!, parent: nil, files: 1, directories: 0, bytes: 2)
    }

    @Test func theSameFolderIsTheSameTreeModeMtimeAndPath() {
        let base = Self.snapshot()
        var later = base
        (later.time, later.hostname, later.files, later.bytes) = (99, "other", 5, 9)
        later.parent = Identifier(bytes: [UInt8](repeating: 7, count: 32))
        #expect(later.storesSameFolder(as: base), "times, totals, host and parent do not count")
        for other in [Self.snapshot(tree: 2), Self.snapshot(mode: 0o700), Self.snapshot(mtime: 11), Self.snapshot(path: "/elsewhere")] {
            #expect(!other.storesSameFolder(as: base))
        }
    }

    @Test func aBackupThatChangesNothingWritesNoSnapshot() async throws {
        let c = try InMemoryClient(prefix: "skip-unchanged")
        defer { c.tmp.remove() }
        try FileManager.default.createDirectory(atPath: c.src + "/sub", withIntermediateDirectories: true)
        try Data("one".utf8).write(to: URL(fileURLWithPath: c.src + "/a.txt"))
        try Data("two".utf8).write(to: URL(fileURLWithPath: c.src + "/sub/b.txt"))
        let ring = HookedRing(c.ring)
        let first = try await c.backup(skipIfUnchanged: true, to: ring)
        #expect(!first.unchanged, "no head yet: the first backup writes a snapshot")
        let head = try #require(try await c.catalog().head(device: c.device))
        let (blocks, puts) = (await c.ring.blockIDs.count, await ring.recordPuts)

        let again = try await c.backup(skipIfUnchanged: true, to: ring)
        #expect(again.unchanged && again.snapshotID == first.snapshotID && again.rootTree == first.rootTree)
        #expect(again.files == 2)
        #expect(await ring.recordPuts == puts, "the head was not moved")
        #expect(await c.ring.blockIDs.count == blocks, "no snapshot block, no index piece")
        let still = try #require(try await c.catalog().head(device: c.device))
        #expect(still.record.seq == head.record.seq && still.pointer == head.pointer)
        #expect(try await c.catalog().history(device: c.device).map(\.id) == [first.snapshotID])

        // Without the flag a backup that changes nothing still writes a snapshot.
        let plain = try await c.backup(to: ring)
        #expect(!plain.unchanged && plain.snapshotID != first.snapshotID)
        var expected = [plain.snapshotID, first.snapshotID]
        #expect(try await c.catalog().history(device: c.device).map(\.id) == expected)

        // The folder's own mode, its own mtime, and a file in a sub-folder each make a new snapshot.
        let changes: [(String, () throws -> Void)] = [
            ("mode", { try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: c.src) }),
            ("mtime", { try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000)], ofItemAtPath: c.src) }),
            ("file", { try Data("three".utf8).write(to: URL(fileURLWithPath: c.src + "/sub/b.txt")) }),
        ]
        for (what, change) in changes {
            try change()
            let changed = try await c.backup(skipIfUnchanged: true, to: ring)
            #expect(!changed.unchanged, "\(what)")
            expected.insert(changed.snapshotID, at: 0)
            #expect(try await c.catalog().history(device: c.device).map(\.id) == expected, "\(what)")
            let quiet = try await c.backup(skipIfUnchanged: true, to: ring)
            #expect(quiet.unchanged && quiet.snapshotID == changed.snapshotID, "\(what)")
        }
    }
}
