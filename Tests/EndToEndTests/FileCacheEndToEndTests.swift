import Foundation
import PeerStoreBackup
import PeerStoreTestKit
import PeerStoreWire
import Testing

/// The file cache through the real client: an unchanged file is not read, a changed one is (even with its size and
/// mtime put back), and a missing or damaged cache changes nothing in the snapshot.
@Suite(.serialized)
struct FileCacheEndToEndTests {
    static let device = "e2e-cache"

    struct Setup {
        let tmp: TemporaryDirectory
        let server: ServerProcess
        let client: ClientHarness
        let src: String

        init(prefix: String) throws {
            tmp = try TemporaryDirectory(prefix: prefix)
            src = tmp.sub("src")
            server = try ServerProcess(dataPath: tmp.sub("node"))
            client = ClientHarness(home: tmp.sub("home"))
        }

        var cachePath: String { tmp.sub("home/cache/files-\(FileCacheEndToEndTests.device)") }

        /// Runs a backup that must succeed; returns its stdout.
        func backup(_ extra: [String] = []) throws -> String {
            let r = try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src, "-device", FileCacheEndToEndTests.device] + extra)
            guard r.status == 0 else { throw TestKitError("backup failed (\(r.status)): \(r.stderr)") }
            return r.stdout + r.stderr
        }

        /// The root tree of every snapshot of the device, oldest first, read with the library.
        func rootTrees() async throws -> [String] {
            let identity = try ClientHome(path: client.home).loadIdentity()
            let entry = try await WireClient.connect(
                to: try PeerAddress(parsing: server.address), secure: .openDemo(identity: identity.signing))
            let ring = try await RingClient.start(entry: entry, secure: .openDemo(identity: identity.signing))
            do {
                let history = try await SnapshotCatalog(client: ring, identity: identity).history(device: FileCacheEndToEndTests.device)
                await ring.close()
                return history.reversed().map(\.snapshot.rootTree.hex)
            } catch {
                await ring.close()
                throw error
            }
        }

        func tearDown() {
            server.stop()
            tmp.remove()
        }
    }

    /// The numbers in "N files read (...), M files unchanged (not read)".
    static func counts(_ output: String) -> (read: Int, unchanged: Int)? {
        func number(before label: String) -> Int? {
            guard let range = output.range(of: #"[\d,]+ "# + label, options: .regularExpression) else { return nil }
            return Int(output[range].split(separator: " ")[0].replacingOccurrences(of: ",", with: ""))
        }
        guard let read = number(before: "files? read"), let unchanged = number(before: #"files? unchanged \(not read\)"#) else { return nil }
        return (read, unchanged)
    }

    @Test func unchangedTreeIsNotReadAndOneTouchedFileIs() throws {
        let s = try Setup(prefix: "e2e-cache-read")
        defer { s.tearDown() }
        try TreeGenerator(settings: smallCorpus()).generate(into: s.src)
        let files = TreeComparison.regularFiles(s.src).count
        #expect(files > 1000)

        let first = try s.backup()
        #expect(Self.counts(first)?.read == files, "\(first)")
        #expect(FileManager.default.fileExists(atPath: s.cachePath))

        let second = try s.backup()
        #expect(Self.counts(second)?.read == 0, "\(second)")
        #expect(Self.counts(second)?.unchanged == files, "\(second)")
        #expect(newBlocks(second) == 1, "\(second)")

        let touched = s.src + "/" + TreeComparison.regularFiles(s.src).first { !$0.hasPrefix("empty/") }!
        let handle = try #require(FileHandle(forWritingAtPath: touched))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("one more line\n".utf8))
        try handle.close()
        let third = try s.backup()
        #expect(Self.counts(third)?.read == 1, "\(third)")
        #expect(Self.counts(third)?.unchanged == files - 1, "\(third)")

        let forced = try s.backup(["-noCache"])
        #expect(Self.counts(forced)?.read == files, "\(forced)")
        let forcedDashes = try s.backup(["--noCache"])
        #expect(Self.counts(forcedDashes)?.read == files, "\(forcedDashes)")
    }

    @Test func deletedOrCorruptedCacheGivesTheSameRootTree() async throws {
        let s = try Setup(prefix: "e2e-cache-same")
        defer { s.tearDown() }
        try TreeGenerator(settings: smallCorpus(seed: 11)).generate(into: s.src)
        let files = TreeComparison.regularFiles(s.src).count

        _ = try s.backup()  // reads everything, writes the cache
        let cached = try s.backup()
        #expect(Self.counts(cached)?.read == 0, "\(cached)")

        try FileManager.default.removeItem(atPath: s.cachePath)
        let deleted = try s.backup()
        #expect(Self.counts(deleted)?.read == files, "\(deleted)")
        #expect(!deleted.contains("not used"), "a missing cache is not worth a notice: \(deleted)")

        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: s.cachePath)))
        bytes[bytes.count / 2] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: s.cachePath))
        let corrupted = try s.backup()
        #expect(Self.counts(corrupted)?.read == files, "\(corrupted)")
        #expect(corrupted.contains("file cache") && corrupted.contains("not used"), "\(corrupted)")

        // Rewritten after the corrupt one: the next run uses it again.
        let again = try s.backup()
        #expect(Self.counts(again)?.read == 0, "\(again)")

        let roots = try await s.rootTrees()
        #expect(roots.count == 5)
        #expect(Set(roots).count == 1, "\(roots)")
    }

    @Test func filesWhoseBlocksTheRingLacksAreRead() throws {
        let s = try Setup(prefix: "e2e-cache-lost")
        defer { s.tearDown() }
        try TreeGenerator(settings: smallCorpus(seed: 5)).generate(into: s.src)
        let files = TreeComparison.regularFiles(s.src)
        // An empty file needs no block, so it stays unread.
        let nonEmpty = try files.filter { try (FileManager.default.attributesOfItem(atPath: s.src + "/" + $0)[.size] as? Int ?? 0) > 0 }
        #expect(nonEmpty.count > 1000 && nonEmpty.count < files.count)
        _ = try s.backup()
        #expect(Self.counts(try s.backup())?.read == 0)

        // A new, empty node: the cache is valid, but none of its blocks exist there any more.
        let other = try ServerProcess(dataPath: s.tmp.sub("node2"))
        defer { other.stop() }
        let r = try s.client.run(["-operation", "backup", "-peerAddr", other.address, "-localPath", s.src, "-device", Self.device])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.counts(r.stdout)?.read == nonEmpty.count, "\(r.stdout)")
        #expect(Self.counts(r.stdout)?.unchanged == files.count - nonEmpty.count, "\(r.stdout)")
        let out = s.tmp.sub("restored")
        let restore = try s.client.run(["-operation", "restore", "-filedest", out, "-device", Self.device])
        #expect(restore.status == 0, "\(restore.stderr)")
        let diffs = TreeComparison.differences(s.src, out)
        #expect(diffs.isEmpty, "\(diffs.prefix(5))")
    }

    @Test func sameSizeChangeWithMtimePutBackIsFoundByCtime() async throws {
        let s = try Setup(prefix: "e2e-cache-ctime")
        defer { s.tearDown() }
        try FileManager.default.createDirectory(atPath: s.src, withIntermediateDirectories: true)
        let file = s.src + "/notes.txt"
        try Data("version A of the notes".utf8).write(to: URL(fileURLWithPath: file))
        var old = [timespec(tv_sec: 1_600_000_000, tv_nsec: 123_456_789), timespec(tv_sec: 1_600_000_000, tv_nsec: 123_456_789)]
        #expect(utimensat(AT_FDCWD, file, &old, 0) == 0)
        let before = try FileManager.default.attributesOfItem(atPath: file)

        #expect(Self.counts(try s.backup())?.read == 1)
        #expect(Self.counts(try s.backup())?.read == 0)

        // Same length, same inode, mtime put back to the nanosecond: only ctime tells.
        let handle = try #require(FileHandle(forWritingAtPath: file))
        try handle.write(contentsOf: Data("version B of the notes".utf8))
        try handle.close()
        #expect(utimensat(AT_FDCWD, file, &old, 0) == 0)
        let after = try FileManager.default.attributesOfItem(atPath: file)
        #expect(after[.size] as? Int == before[.size] as? Int)
        #expect(after[.systemFileNumber] as? Int == before[.systemFileNumber] as? Int)
        #expect(after[.modificationDate] as? Date == before[.modificationDate] as? Date)

        let changed = try s.backup()
        #expect(Self.counts(changed)?.read == 1, "\(changed)")
        let dest = s.tmp.sub("notes.out")
        let r = try s.client.run(["-operation", "getfile", "-filename", "notes.txt", "-filedest", dest, "-device", Self.device])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try String(contentsOfFile: dest, encoding: .utf8) == "version B of the notes")
        let roots = try await s.rootTrees()
        #expect(roots.count == 3 && roots[1] != roots[2], "\(roots)")
    }

    /// A file that grew (a log, a disk image with new data at the end) is read again, but the chunks it had before are
    /// taken from its previous manifest instead of being sealed again; the restored file is the new content. With
    /// `-noCache` nothing is reused.
    @Test func aChangedFileReusesItsUnchangedChunks() throws {
        let s = try Setup(prefix: "e2e-cache-reuse")
        defer { s.tearDown() }
        try FileManager.default.createDirectory(atPath: s.src, withIntermediateDirectories: true)
        let file = s.src + "/disk.img"
        var rng = SeededRandom(seed: 77)
        var content = rng.bytes(12 << 20)
        try Data(content).write(to: URL(fileURLWithPath: file))
        func summary(_ extra: [String]) throws -> [String: Any] {
            let out = try s.backup(["-json"] + extra)
            let last = try #require(out.split(separator: "\n").last(where: { $0.contains("\"summary\"") }))
            return try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        }
        let first = try summary([])
        #expect(first["chunksReused"] as? Int == 0)

        let appended = rng.bytes(5000)
        content += appended
        let handle = try #require(FileHandle(forWritingAtPath: file))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(appended))
        try handle.close()
        let second = try summary([])
        #expect(second["filesRead"] as? Int == 1)
        // 12 MiB in chunks of about 1 MiB: all but the last one or two are the same.
        let reused = try #require(second["chunksReused"] as? Int)
        #expect(reused >= 5, "\(second)")
        let dest = s.tmp.sub("disk.out")
        let r = try s.client.run(["-operation", "getfile", "-filename", "disk.img", "-filedest", dest, "-device", Self.device])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dest)) == Data(content))

        let third = try summary(["-noCache"])
        #expect(third["chunksReused"] as? Int == 0)
    }
}
