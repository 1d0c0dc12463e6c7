import Foundation
import PeerStoreBackup
import PeerStoreTestKit
import Testing

/// The file cache through whole backups, in-process against an in-memory ring: an unchanged file is not read, a
/// changed one is (even with its size and mtime put back), a missing or damaged cache changes nothing in the snapshot,
/// and a file whose blocks the ring lacks is read again. (`CommandLineTests` checks -noCache on the command line.)
@Suite(.timeLimit(.minutes(2)))
struct FileCacheInMemoryTests {
    @Test func unchangedTreeIsNotReadAndOneTouchedFileIs() async throws {
        let c = try InMemoryClient(prefix: "mem-cache-read")
        defer { c.tmp.remove() }
        try TreeGenerator(settings: smallCorpus()).generate(into: c.src)
        let files = TreeComparison.regularFiles(c.src).count
        #expect(files > 1000)

        let first = try await c.backup()
        #expect(first.filesRead == files)
        #expect(FileManager.default.fileExists(atPath: c.cachePath))

        let second = try await c.backup()
        #expect(second.filesRead == 0)
        #expect(second.filesUnchanged == files)
        #expect(second.blocksSent == 1)

        let touched = c.src + "/" + TreeComparison.regularFiles(c.src).first { !$0.hasPrefix("empty/") }!
        let handle = try #require(FileHandle(forWritingAtPath: touched))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("one more line\n".utf8))
        try handle.close()
        let third = try await c.backup()
        #expect(third.filesRead == 1)
        #expect(third.filesUnchanged == files - 1)

        let forced = try await c.backup(reuseCache: false)
        #expect(forced.filesRead == files)
        #expect(forced.filesUnchanged == 0)
    }

    @Test func deletedOrCorruptedCacheGivesTheSameRootTree() async throws {
        let c = try InMemoryClient(prefix: "mem-cache-same")
        defer { c.tmp.remove() }
        try TreeGenerator(settings: smallCorpus(seed: 11)).generate(into: c.src)
        let files = TreeComparison.regularFiles(c.src).count

        _ = try await c.backup()  // reads everything, writes the cache
        #expect(try await c.backup().filesRead == 0)

        try FileManager.default.removeItem(atPath: c.cachePath)
        let deleted = try await c.backup()
        #expect(deleted.filesRead == files)
        #expect(!deleted.notices.contains { $0.contains("not used") }, "a missing cache is not worth a notice: \(deleted.notices)")

        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: c.cachePath)))
        bytes[bytes.count / 2] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: c.cachePath))
        let corrupted = try await c.backup()
        #expect(corrupted.filesRead == files)
        #expect(corrupted.notices.contains { $0.contains("file cache") && $0.contains("not used") }, "\(corrupted.notices)")

        // Rewritten after the corrupt one: the next run uses it again.
        #expect(try await c.backup().filesRead == 0)

        let roots = try await c.rootTrees()
        #expect(roots.count == 5)
        #expect(Set(roots).count == 1, "\(roots)")
    }

    @Test func filesWhoseBlocksTheRingLacksAreRead() async throws {
        let c = try InMemoryClient(prefix: "mem-cache-lost")
        defer { c.tmp.remove() }
        try TreeGenerator(settings: smallCorpus(seed: 5)).generate(into: c.src)
        let files = TreeComparison.regularFiles(c.src)
        // An empty file needs no block, so it stays unread.
        let nonEmpty = try files.filter { try (FileManager.default.attributesOfItem(atPath: c.src + "/" + $0)[.size] as? Int ?? 0) > 0 }
        #expect(nonEmpty.count > 1000 && nonEmpty.count < files.count)
        _ = try await c.backup()
        #expect(try await c.backup().filesRead == 0)

        // A new, empty ring: the cache is valid, but none of its blocks exist there.
        let other = InMemoryRing()
        let r = try await c.backup(to: other)
        #expect(r.filesRead == nonEmpty.count)
        #expect(r.filesUnchanged == files.count - nonEmpty.count)
        let out = c.tmp.sub("restored")
        let restored = try await c.restore(to: out, from: other)
        #expect(restored.failed.isEmpty, "\(restored.failed)")
        let diffs = TreeComparison.differences(c.src, out)
        #expect(diffs.isEmpty, "\(diffs.prefix(5))")
    }

    @Test func sameSizeChangeWithMtimePutBackIsFoundByCtime() async throws {
        let c = try InMemoryClient(prefix: "mem-cache-ctime")
        defer { c.tmp.remove() }
        try FileManager.default.createDirectory(atPath: c.src, withIntermediateDirectories: true)
        let file = c.src + "/notes.txt"
        try Data("version A of the notes".utf8).write(to: URL(fileURLWithPath: file))
        var old = [timespec(tv_sec: 1_600_000_000, tv_nsec: 123_456_789), timespec(tv_sec: 1_600_000_000, tv_nsec: 123_456_789)]
        #expect(utimensat(AT_FDCWD, file, &old, 0) == 0)
        let before = try FileManager.default.attributesOfItem(atPath: file)

        #expect(try await c.backup().filesRead == 1)
        #expect(try await c.backup().filesRead == 0)

        // Same length, same inode, mtime put back to the nanosecond: only ctime tells. (In-process the backups take
        // milliseconds; the kernel's ctime ticks coarsely, so let a tick pass as a process start would.)
        try await Task.sleep(for: .milliseconds(50))
        let handle = try #require(FileHandle(forWritingAtPath: file))
        try handle.write(contentsOf: Data("version B of the notes".utf8))
        try handle.close()
        #expect(utimensat(AT_FDCWD, file, &old, 0) == 0)
        let after = try FileManager.default.attributesOfItem(atPath: file)
        #expect(after[.size] as? Int == before[.size] as? Int)
        #expect(after[.systemFileNumber] as? Int == before[.systemFileNumber] as? Int)
        #expect(after[.modificationDate] as? Date == before[.modificationDate] as? Date)

        #expect(try await c.backup().filesRead == 1)
        let dest = c.tmp.sub("notes.out")
        #expect(try await c.getfile("notes.txt", to: dest).failed.isEmpty)
        #expect(try String(contentsOfFile: dest, encoding: .utf8) == "version B of the notes")
        let roots = try await c.rootTrees()
        #expect(roots.count == 3 && roots[1] != roots[2], "\(roots)")
    }

    /// A file that grew (a log, a disk image with new data at the end) is read again, but the chunks it had before are
    /// taken from its previous manifest instead of being sealed again; the restored file is the new content. Without
    /// the cache nothing is reused.
    @Test func aChangedFileReusesItsUnchangedChunks() async throws {
        let c = try InMemoryClient(prefix: "mem-cache-reuse")
        defer { c.tmp.remove() }
        try FileManager.default.createDirectory(atPath: c.src, withIntermediateDirectories: true)
        let file = c.src + "/disk.img"
        var rng = SeededRandom(seed: 77)
        var content = rng.bytes(12 << 20)
        try Data(content).write(to: URL(fileURLWithPath: file))
        #expect(try await c.backup().chunksReused == 0)

        let appended = rng.bytes(5000)
        content += appended
        let handle = try #require(FileHandle(forWritingAtPath: file))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(appended))
        try handle.close()
        let second = try await c.backup()
        #expect(second.filesRead == 1)
        // 12 MiB in chunks of about 1 MiB: all but the last one or two are the same.
        #expect(second.chunksReused >= 5, "\(second.chunksReused)")
        let dest = c.tmp.sub("disk.out")
        #expect(try await c.getfile("disk.img", to: dest).failed.isEmpty)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dest)) == Data(content))

        #expect(try await c.backup(reuseCache: false).chunksReused == 0)
    }
}
