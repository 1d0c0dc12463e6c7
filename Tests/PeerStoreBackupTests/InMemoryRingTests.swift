import ChordRing
import Foundation
import Logging
import PeerStoreBackup
import PeerStoreModel
import PeerStoreTestKit
import Testing

/// Backup and restore in-process against `InMemoryRing`: no sockets, no processes, milliseconds. The end-to-end suite
/// keeps the same paths through real binaries and a real ring.
@Suite struct InMemoryRingTests {
    struct Setup {
        let tmp: TemporaryDirectory
        let ring = InMemoryRing()
        let identity = Identity.generate()
        let home: ClientHome
        let src: String

        init() throws {
            tmp = try TemporaryDirectory(prefix: "in-memory")
            home = ClientHome(path: tmp.sub("home"))
            src = tmp.sub("src")
            var settings = TreeGenerator.Settings.approximately(3 << 20, seed: 3)
            settings.smallFiles = 60
            try TreeGenerator(settings: settings).generate(into: src)
        }

        func backup() async throws -> BackupSummary {
            try await BackupRunner(client: ring, identity: identity, logger: Logger(label: "test")).run(
                localPath: src, device: "d", cache: FileCacheStore(home: home, device: "d", keys: identity.keys))
        }

        func restore(into name: String) async throws -> (RestoreSummary, String) {
            let snapshot = try await SnapshotCatalog(client: ring, identity: identity).latest(device: "d").snapshot
            let out = tmp.sub(name)
            return (try await Restorer(client: ring, identity: identity, logger: Logger(label: "test")).restoreAll(snapshot, to: out, force: false), out)
        }
    }

    @Test func backupThenRestoreIsIdentical() async throws {
        let s = try Setup()
        defer { s.tmp.remove() }
        let summary = try await s.backup()
        #expect(summary.blocksSent > 10)
        let (restored, out) = try await s.restore(into: "out")
        #expect(restored.failed.isEmpty)
        #expect(TreeComparison.differences(s.src, out, compareRootMetadata: false).isEmpty)
    }

    /// The walk goes on to later folders while a folder's files are still read, so folders finish in any order; the
    /// trees must not show it.
    @Test func treesAreTheSameWhateverOrderTheFoldersFinishIn() async throws {
        let s = try Setup()
        defer { s.tmp.remove() }
        let runner = BackupRunner(client: s.ring, identity: s.identity, logger: Logger(label: "test"))
        var roots: Set<Identifier> = []
        var directories: Set<Int> = []
        for _ in 0..<3 {
            let summary = try await runner.run(localPath: s.src, device: "d")
            #expect(summary.filesRead > 60)
            roots.insert(summary.rootTree)
            directories.insert(summary.directories)
        }
        #expect(roots.count == 1)
        var folders = 0
        for path in try FileManager.default.subpathsOfDirectory(atPath: s.src) {
            let type = try FileManager.default.attributesOfItem(atPath: s.src + "/" + path)[.type] as? FileAttributeType
            if type == .typeDirectory { folders += 1 }
        }
        #expect(folders > 3 && directories == [folders], "\(folders) folders, \(directories)")
        let (restored, out) = try await s.restore(into: "out")
        #expect(restored.failed.isEmpty)
        #expect(TreeComparison.differences(s.src, out, compareRootMetadata: false).isEmpty)
    }

    @Test func aSecondBackupReadsNothingAndStoresOnlyItsSnapshot() async throws {
        let s = try Setup()
        defer { s.tmp.remove() }
        let first = try await s.backup()
        let second = try await s.backup()
        #expect(second.filesRead == 0 && second.filesUnchanged == first.filesRead, "\(second.filesRead) read")
        #expect(second.blocksSent == 1)
    }

    @Test func aDamagedBlockCostsOnlyItsFile() async throws {
        let s = try Setup()
        defer { s.tmp.remove() }
        _ = try await s.backup()
        // The largest block is a chunk of a big file.
        var largest: (id: Identifier, size: Int)?
        for id in await s.ring.blockIDs {
            let size = await s.ring.bytes(of: id)?.count ?? 0
            if size > (largest?.size ?? 0) { largest = (id, size) }
        }
        await s.ring.damage(try #require(largest).id)
        let (restored, out) = try await s.restore(into: "out")
        #expect(restored.failed.count == 1, "\(restored.failed)")
        let differences = TreeComparison.differences(s.src, out, compareRootMetadata: false)
        #expect(differences.count == 1, "\(differences)")
    }

    @Test func aLostHeadUpdateSaysAnotherBackupMovedIt() async throws {
        let s = try Setup()
        defer { s.tmp.remove() }
        _ = try await s.backup()
        await s.ring.loseNextRecordUpdate()
        await #expect(throws: BackupError.self) { _ = try await s.backup() }
        do {
            await s.ring.loseNextRecordUpdate()
            _ = try await s.backup()
        } catch let error as BackupError {
            #expect(error.code == .concurrentBackup && error.message.contains("nothing was lost"), "\(error)")
        }
        // The ring kept the first snapshot; a later backup goes on from it.
        _ = try await s.backup()
        #expect(try await s.restore(into: "out").0.failed.isEmpty)
    }

    @Test func aSlowRingIsWaitedFor() async throws {
        let s = try Setup()
        defer { s.tmp.remove() }
        _ = try await s.backup()
        await s.ring.slowDown(by: .milliseconds(2))
        let (restored, out) = try await s.restore(into: "out")
        #expect(restored.failed.isEmpty)
        #expect(TreeComparison.differences(s.src, out, compareRootMetadata: false).isEmpty)
    }
}
