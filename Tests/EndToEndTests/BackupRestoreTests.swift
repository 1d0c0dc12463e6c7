import Foundation
import PeerStoreTestKit
import Testing

/// Backup and restore through real processes: a `peerstore-server` on 127.0.0.1 and the `peerstore-client` CLI.
@Suite(.serialized)
struct BackupRestoreTests {
    @Test func backupRestoreWholeAndFileByFile() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e")
        defer { tmp.remove() }
        let src = tmp.sub("src")
        try TreeGenerator(settings: smallCorpus()).generate(into: src)
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let client = ClientHarness(home: tmp.sub("home"))

        let first = try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src])
        #expect(first.status == 0, "\(first.stderr)")
        #expect((newBlocks(first.stdout) ?? 0) > 100)

        // The nightly run: no flags, everything from the config; nothing changed, so only the snapshot is new.
        let second = try client.run(["-operation", "backup"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(newBlocks(second.stdout) == 1, "\(second.stdout)")

        let out = tmp.sub("restored")
        let restore = try client.run(["-operation", "restore", "-filedest", out])
        #expect(restore.status == 0, "\(restore.stderr)")
        let diffs = TreeComparison.differences(src, out)
        #expect(diffs.isEmpty, "\(diffs.prefix(10))")

        // File by file: every big file and a sample of small ones, by absolute and by relative path.
        let files = TreeComparison.regularFiles(src)
        let sample = files.filter { $0.hasPrefix("big/") || $0.hasPrefix("empty/") } + stride(from: 0, to: files.count, by: 97).map { files[$0] }
        #expect(sample.count > 10)
        let single = tmp.sub("single")
        try FileManager.default.createDirectory(atPath: single, withIntermediateDirectories: true)
        for (i, rel) in sample.enumerated() {
            let dest = single + "/f\(i)"
            let name = i % 2 == 0 ? src + "/" + rel : rel
            let r = try client.run(["-operation", "getfile", "-filename", name, "-filedest", dest])
            #expect(r.status == 0, "\(rel): \(r.stderr)")
            let d = TreeComparison.differences(file: src + "/" + rel, dest)
            #expect(d.isEmpty, "\(rel): \(d)")
        }

        // Nothing readable on the server: no marker text from the files, no file names.
        server.stop()
        #expect(!TreeComparison.anyFileContains(server.dataPath, TreeGenerator.marker))
        #expect(!TreeComparison.anyFileContains(server.dataPath, "Überblick"))
        #expect(!TreeComparison.anyFileContains(server.dataPath, "server-0.log"))
    }

    @Test func snapshotsListsEveryBackupNewestFirst() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-snap")
        defer { tmp.remove() }
        let src = tmp.sub("src")
        try FileManager.default.createDirectory(atPath: src, withIntermediateDirectories: true)
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let client = ClientHarness(home: tmp.sub("home"))
        for i in 0..<3 {
            try Data("version \(i)".utf8).write(to: URL(fileURLWithPath: src + "/file.txt"))
            let r = try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let list = try client.run(["-operation", "snapshots"])
        #expect(list.status == 0)
        #expect(list.stdout.split(separator: "\n").count == 4, "\(list.stdout)")  // header + 3
        // getfile restores from the latest snapshot.
        let dest = tmp.sub("file.out")
        let r = try client.run(["-operation", "getfile", "-filename", "file.txt", "-filedest", dest])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try String(contentsOfFile: dest, encoding: .utf8) == "version 2")
    }

    @Test func identityIsCreatedPrivateAndUserIDIsStable() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-id")
        defer { tmp.remove() }
        let client = ClientHarness(home: tmp.sub("home"))
        let first = try client.run(["-operation", "init"])
        #expect(first.status == 0)
        let who1 = try client.run(["-operation", "whoami"]).stdout
        let who2 = try client.run(["-operation", "whoami"]).stdout
        #expect(who1 == who2)
        #expect(who1.hasPrefix("ps"))
        for file in ["identity", "config.json"] {
            let attrs = try FileManager.default.attributesOfItem(atPath: tmp.sub("home/\(file)"))
            #expect((attrs[.posixPermissions] as? Int) == 0o600, "\(file)")
        }
    }
}
