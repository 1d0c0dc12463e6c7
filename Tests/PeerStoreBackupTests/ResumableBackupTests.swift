import Foundation
import Logging
import PeerStoreBackup
import PeerStoreTestKit
import Testing

/// A first backup cut short does not start over: the file cache it checkpointed while walking lets the next run take
/// the files done so far without reading them, and the blocks already on the ring are not sent again; the snapshot of
/// the run that completes restores identically.
@Suite(.timeLimit(.minutes(2)))
struct ResumableBackupTests {
    @Test func anInterruptedFirstBackupResumesWhereItStopped() async throws {
        let c = try InMemoryClient(prefix: "mem-resume")
        defer { c.tmp.remove() }
        try FileManager.default.createDirectory(atPath: c.src, withIntermediateDirectories: true)
        var rng = SeededRandom(seed: 4242)
        for i in 0..<300 {
            let file = "\(c.src)/f\(String(format: "%03d", i))"
            try Data(rng.bytes(2_000 + i * 37)).write(to: URL(fileURLWithPath: file))
            // Written an hour ago: a file modified just before a backup started is always read again (racy mtime).
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: file)
        }
        let runner = { (every: TimeInterval) in
            BackupRunner(client: c.ring, identity: c.identity, logger: Logger(label: "test"), heads: HeadMemory(home: c.home),
                         checkpointEvery: every)
        }
        let store = FileCacheStore(home: c.home, device: c.device, keys: c.identity.keys)

        // The ring goes away after 150 block puts: the backup fails, no snapshot, but a checkpoint is on disk.
        await c.ring.failBlockPuts(after: 150)
        await #expect(throws: (any Error).self) { _ = try await runner(0).run(localPath: c.src, device: c.device, cache: store) }
        #expect(FileManager.default.fileExists(atPath: c.cachePath), "a checkpoint of the files done")
        let putsBefore = await c.ring.puts
        let checkpointed = try #require(store.load(chunker: .default).cache).count
        #expect(checkpointed > 100, "files read before the ring went away: \(checkpointed)")

        // Back: the next run reads only the files not done (and those whose blocks did not make it) and sends the rest.
        await c.ring.failBlockPuts(after: nil)
        let resumed = try await runner(60).run(localPath: c.src, device: c.device, cache: store)
        #expect(resumed.files == 300)
        print("resume: read \(resumed.filesRead) of 300 files, sent \(resumed.blocksSent) blocks (\(putsBefore) before the cut)")
        #expect(resumed.filesUnchanged > 50 && resumed.filesRead < 250, "read \(resumed.filesRead), unchanged \(resumed.filesUnchanged)")
        #expect(resumed.filesRead + resumed.filesUnchanged == 300)
        // One block a file here: what the cut run sent is not sent again (plus the folder's tree and the snapshot).
        #expect(resumed.blocksSent <= 300 - putsBefore + 5, "sent \(resumed.blocksSent) after \(putsBefore)")

        let out = c.tmp.sub("restored")
        _ = try await c.restore(to: out)
        #expect(TreeComparison.differences(c.src, out, compareRootMetadata: false) == [])
    }

    @Test func aCheckpointIsDueEveryIntervalAndNeverReplacesAPreviousCache() async throws {
        let c = try InMemoryClient(prefix: "mem-resume-cache")
        defer { c.tmp.remove() }
        try FileManager.default.createDirectory(atPath: c.src, withIntermediateDirectories: true)
        var rng = SeededRandom(seed: 77)
        for i in 0..<40 { try Data(rng.bytes(3_000)).write(to: URL(fileURLWithPath: "\(c.src)/f\(i)")) }
        _ = try await c.backup()  // a whole cache now
        let whole = try Data(contentsOf: URL(fileURLWithPath: c.cachePath))
        for i in 0..<40 { try Data(rng.bytes(3_000)).write(to: URL(fileURLWithPath: "\(c.src)/f\(i)")) }  // every file changed
        await c.ring.failBlockPuts(after: 5)
        let runner = BackupRunner(client: c.ring, identity: c.identity, logger: Logger(label: "test"), heads: HeadMemory(home: c.home),
                                  checkpointEvery: 0)
        await #expect(throws: (any Error).self) {
            _ = try await runner.run(localPath: c.src, device: c.device, cache: FileCacheStore(home: c.home, device: c.device, keys: c.identity.keys))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: c.cachePath)) == whole, "an incremental run cut short keeps the whole cache")
    }
}
