import Foundation
import PeerStoreTestKit
import Testing

/// Fault case: a node's data path on a small filesystem (a tmpfs the test mounts) fills during a backup. The client
/// gets a clear error naming the node; the node stays up and serves what it has; nothing torn; once there is room
/// again (the filesystem grown), the next backup completes and everything restores. Needs root (CI runs as root).
@Suite(.serialized, .timeLimit(.minutes(10)))
struct FaultDiskFullTests {
    @Test func aFullDiskIsAClearErrorAndTheNextBackupCompletes() async throws {
        guard getuid() == 0 else {
            throw TestKitError("the disk-full case mounts a small filesystem and needs root (CI runs as root): run the tests as root")
        }
        let tmp = try TemporaryDirectory(prefix: "fault-disk-full")
        defer { tmp.remove() }
        let small = tmp.sub("small")
        try FileManager.default.createDirectory(atPath: small, withIntermediateDirectories: true)
        try Self.run("mount", ["-t", "tmpfs", "-o", "size=12m", "tmpfs", small])
        defer { try? Self.run("umount", [small]) }
        let started = Date()

        let server = try ServerProcess(dataPath: small + "/node", extraArguments: ["-segmentMiB", "2"])
        defer { server.stop() }
        let client = { (args: [String]) in
            try CommandRunner.run("peerstore-client", ["-home", tmp.sub("home"), "-peerAddr", server.address] + args)
        }
        var rng = SeededRandom(seed: 99)
        let first = tmp.sub("first"), big = tmp.sub("big")
        for (dir, files, size) in [(first, 4, 200_000), (big, 12, 2_000_000)] {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for i in 0..<files { try Data(rng.bytes(size)).write(to: URL(fileURLWithPath: "\(dir)/f\(i)")) }
        }
        let ok = try client(["-operation", "backup", "-localPath", first])
        #expect(ok.status == 0, "\(ok.stderr)")

        // 24 MB into 12: the backup fails, in one line that names the node and says what to do.
        let full = try client(["-operation", "backup", "-localPath", big])
        #expect(full.status == 1, "\(full.stdout) \(full.stderr)")
        let line = full.stderr.split(separator: "\n").last.map(String.init) ?? ""
        #expect(line.contains(server.address), "names the node: \(full.stderr)")
        #expect(line.lowercased().contains("space") || line.lowercased().contains("full"), "says the disk is full: \(full.stderr)")
        #expect(server.process.isRunning, "the node stays up")
        print("disk full, the client said: \(line)")

        // It serves what it has: the first snapshot restores whole.
        let before = tmp.sub("restored-first")
        let read = try client(["-operation", "restore", "-filedest", before, "-snapshot", try Self.latestBut(0, client)])
        #expect(read.status == 0, "\(read.stderr)")
        #expect(TreeComparison.differences(first, before, compareRootMetadata: false) == [])

        // Room again: the next backup completes, and after a restart (nothing torn on disk) both restore whole.
        try Self.run("mount", ["-o", "remount,size=96m", small])
        let again = try client(["-operation", "backup", "-localPath", big])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(server.stop() == 0)
        let back = try ServerProcess(dataPath: small + "/node", extraArguments: ["-segmentMiB", "2"])
        defer { back.stop() }
        let after = tmp.sub("restored-big")
        let restore = try CommandRunner.run("peerstore-client", ["-home", tmp.sub("home"), "-peerAddr", back.address, "-operation", "restore",
                                                                 "-filedest", after])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(TreeComparison.differences(big, after, compareRootMetadata: false) == [])
        let log = (try? String(contentsOfFile: back.logPath, encoding: .utf8)) ?? ""

        var figures = FaultFigures("disk full (12 MB filesystem)", runs: 1)
        figures.set("clearError", line.contains(server.address) ? "yes" : "no")
        figures.set("nodeUp", "yes")
        figures.set("lost", TreeComparison.differences(first, before, compareRootMetadata: false).count)
        figures.set("torn", log.contains("damaged entries skipped") || log.contains("corrupt entry") ? 1 : 0)
        figures.set("seconds", Int(Date().timeIntervalSince(started)))
        figures.record()
        #expect(!log.contains("damaged entries skipped") && !log.contains("corrupt entry"), "\(log)")
    }

    /// The id of the snapshot `n` places before the latest (0: the latest).
    static func latestBut(_ n: Int, _ client: ([String]) throws -> CommandRunner.Result) throws -> String {
        let r = try client(["-operation", "snapshots"])
        let ids = r.stdout.split(separator: "\n").compactMap { line -> String? in
            let first = String(line.prefix { $0 != " " })
            return first.count == 12 && first.allSatisfy(\.isHexDigit) ? first : nil
        }
        guard ids.count > n else { throw TestKitError("fewer than \(n + 1) snapshots: \(r.stdout)") }
        return ids[n]
    }

    /// Runs `mount` or `umount` (util-linux) with `arguments`.
    static func run(_ tool: String, _ arguments: [String]) throws {
        guard let path = ["/bin/", "/usr/bin/", "/sbin/", "/usr/sbin/"].map({ $0 + tool }).first(where: FileManager.default.isExecutableFile)
        else { throw TestKitError("\(tool) not found (Debian package util-linux)") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw TestKitError("\(tool) \(arguments.joined(separator: " ")) failed") }
    }
}
