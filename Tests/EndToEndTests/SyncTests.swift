import Foundation
import PeerStoreBackup
import PeerStoreTestKit
import Testing

/// `-operation sync` with real binaries: one server, two client homes sharing one identity (the file copied, as
/// moving it to a second machine does), each syncing its own folder as folder "docs".
@Suite(.serialized)
struct SyncTests {
    struct Machine {
        let client: ClientHarness
        let dir: String
        let device: String
        func sync(_ extra: [String] = []) throws -> CommandRunner.Result {
            try client.run(["-operation", "sync", "-device", device, "-localPath", dir, "-folder", "docs"] + extra)
        }
    }

    func machines(_ tmp: TemporaryDirectory, server: ServerProcess) throws -> (Machine, Machine) {
        let a = Machine(client: ClientHarness(home: tmp.sub("home-a")), dir: tmp.sub("a"), device: "laptop")
        let b = Machine(client: ClientHarness(home: tmp.sub("home-b")), dir: tmp.sub("b"), device: "desktop")
        for dir in [a.dir, b.dir] { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        #expect(try a.client.run(["-operation", "init", "-peerAddr", server.address, "-device", "laptop"]).status == 0)
        try FileManager.default.createDirectory(atPath: b.client.home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try FileManager.default.copyItem(atPath: a.client.home + "/identity", toPath: b.client.home + "/identity")
        #expect(try b.client.run(["-operation", "whoami"]).status == 0)
        return (a, b)
    }

    func write(_ path: String, _ text: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    func same(_ a: String, _ b: String) -> [String] {
        TreeComparison.differences(a, b, compareRootMetadata: false).filter { line in
            guard line.hasPrefix("mtime differs: ") else { return true }
            var isDir: ObjCBool = false
            let relative = String(line.dropFirst("mtime differs: ".count).split(separator: " ")[0])
            return !(FileManager.default.fileExists(atPath: a + relative, isDirectory: &isDir) && isDir.boolValue)
        }
    }

    @Test func twoMachinesSyncEditsConflictsAndDeletes() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-sync")
        defer { tmp.remove() }
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let (a, b) = try machines(tmp, server: server)

        try write(a.dir + "/notes.txt", "from the laptop")
        try write(a.dir + "/photos/2026/cat.txt", "meow")
        try Data().write(to: URL(fileURLWithPath: a.dir + "/empty"))
        try FileManager.default.createSymbolicLink(atPath: a.dir + "/latest", withDestinationPath: "photos/2026/cat.txt")
        chmod(a.dir + "/notes.txt", 0o640)
        var r = try a.sync(["-peerAddr", server.address])
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("synced \(a.dir) as folder 'docs'"), "\(r.stdout)")
        r = try b.sync(["-json", "-peerAddr", server.address])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\"type\":\"summary\""), "\(r.stdout)")
        #expect(same(a.dir, b.dir) == [])

        // Both edit the same file between syncs: both versions survive on both machines.
        try write(a.dir + "/notes.txt", "laptop edit")
        try write(b.dir + "/notes.txt", "desktop edit, later")
        #expect(try a.sync().status == 0)
        r = try b.sync()
        #expect(r.stdout.contains("1 conflict copy"), "\(r.stdout)")
        #expect(try a.sync().status == 0)
        #expect(same(a.dir, b.dir) == [])
        let names = try FileManager.default.contentsOfDirectory(atPath: b.dir)
        let copy = try #require(names.first { $0.hasPrefix("notes.sync-conflict-") && $0.hasSuffix(".txt") }, "\(names)")
        let texts = Set([b.dir + "/notes.txt", b.dir + "/" + copy].map { String(decoding: FileManager.default.contents(atPath: $0)!, as: UTF8.self) })
        #expect(texts == ["laptop edit", "desktop edit, later"])

        // A deletes and renames; B follows; the deleted file comes back from an earlier snapshot of B's folder.
        try FileManager.default.removeItem(atPath: a.dir + "/photos/2026/cat.txt")
        try FileManager.default.moveItem(atPath: a.dir + "/empty", toPath: a.dir + "/still-empty")
        #expect(try a.sync().status == 0)
        #expect(try b.sync().status == 0)
        #expect(!FileManager.default.fileExists(atPath: b.dir + "/photos/2026/cat.txt"))
        #expect(FileManager.default.fileExists(atPath: b.dir + "/still-empty"))
        #expect(same(a.dir, b.dir) == [])
        let list = try b.client.run(["-operation", "snapshots", "-device", "desktop:docs"])
        #expect(list.status == 0, "\(list.stderr)")
        let ids = list.stdout.split(separator: "\n").dropFirst().map { String($0.prefix(12)) }
        var restored = false
        for id in ids where !restored {
            let out = tmp.sub("cat-\(id)")
            let got = try b.client.run(["-operation", "getfile", "-device", "desktop:docs", "-snapshot", id, "-filename", "photos/2026/cat.txt", "-filedest", out])
            restored = got.status == 0 && FileManager.default.contents(atPath: out) == Data("meow".utf8)
        }
        #expect(restored, "no earlier snapshot of desktop:docs gave the deleted file back: \(list.stdout)")
    }

    /// `sync -folder docs -stop` on B: A's next round no longer sees B (nor merges its state); B's snapshots stay.
    @Test func stopTakesTheFolderOffThisDeviceOnly() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-sync-stop")
        defer { tmp.remove() }
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let (a, b) = try machines(tmp, server: server)
        try write(a.dir + "/notes.txt", "from the laptop")
        #expect(try a.sync(["-peerAddr", server.address]).status == 0)
        #expect(try b.sync(["-peerAddr", server.address]).status == 0)
        #expect(try a.sync().stdout.contains("with 1 other device:"))

        let stop = try b.client.run(["-operation", "sync", "-device", b.device, "-folder", "docs", "-stop"])
        #expect(stop.status == 0, "\(stop.stderr)")
        #expect(stop.stdout == "this device ('desktop') no longer syncs folder 'docs': your other devices stop merging its state; its snapshots stay restorable (-operation snapshots -device 'desktop:docs'), and a sync of it here starts again\n", "\(stop.stdout)")
        #expect(try a.sync().stdout.contains("with 0 other devices:"))
        let snapshots = try b.client.run(["-operation", "snapshots", "-device", "desktop:docs"])
        #expect(snapshots.status == 0 && snapshots.stdout.split(separator: "\n").count >= 2, "\(snapshots.stdout) \(snapshots.stderr)")
        let again = try b.client.run(["-operation", "sync", "-device", b.device, "-folder", "docs", "-stop"])
        let lines = again.stderr.split(separator: "\n").filter { !$0.contains("warning:") }
        #expect(again.status == 1 && lines == ["peerstore-client: this device does not sync a folder 'docs' (see -operation devices); nothing was changed"], "\(again.stderr)")
        let help = try b.client.run(["-help"]).stdout
        #expect(help.contains("-stop stops syncing -folder here") && help.contains("-stop"), "\(help)")
    }

    /// Flags that make no sense together are refused before anything is made: no home, no identity, no lock, no ring.
    @Test func badFlagCombinationsAreRefusedBeforeAnythingIsTouched() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-sync-usage")
        defer { tmp.remove() }
        let dir = tmp.sub("dir")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let home = tmp.sub("home")
        let cases: [([String], String)] = [
            (["-localPath", dir, "-folder", "docs", "-poll", "5"], "-poll sets how often sync -watch looks"),
            (["-localPath", dir, "-folder", "docs", "-watch", "-poll", "0"], "-poll must be a number of seconds"),
            (["-localPath", dir, "-folder", "docs", "-watch", "-poll", "1e12"], "-poll must be a number of seconds"),
            (["-folder", "docs", "-stop", "-watch"], "-stop does not go with -watch or -poll"),
            (["-folder", "docs", "-stop", "-poll", "5"], "-stop does not go with -watch or -poll"),
            (["-localPath", dir, "-folder", "a/b"], "-folder must be a name of 1 to 255 bytes without '/'"),
            (["-localPath", dir], "sync needs -localPath DIR and -folder NAME"),
            (["-folder", "docs"], "sync needs -localPath DIR and -folder NAME"),
            (["-localPath", tmp.sub("missing"), "-folder", "docs"], "-localPath \(tmp.sub("missing")) does not exist"),
            (["-localPath", dir, "-folder", "docs", "-snapshot", "abcd"], "-snapshot is for restore and getfile"),
        ]
        for (flags, message) in cases {
            let r = try CommandRunner.run("peerstore-client", ["-home", home, "-operation", "sync", "-peerAddr", "127.0.0.1:1"] + flags)
            #expect(r.status == 1, "\(flags): \(r.status) \(r.stdout)")
            #expect(r.stderr.hasPrefix("peerstore-client: \(message)") && r.stderr.split(separator: "\n").count == 1, "\(flags): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: home), "\(flags) made the home")
            try? FileManager.default.removeItem(atPath: home)
        }
    }

    @Test func twoSyncsOfOneFolderAtOnceAreRefusedWithAClearMessage() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-sync-lock")
        defer { tmp.remove() }
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let (a, _) = try machines(tmp, server: server)
        let lock = try BackupLock.sync(home: ClientHome(path: a.client.home), folder: "docs")
        defer { lock.release() }
        let r = try a.sync(["-peerAddr", server.address])
        #expect(r.status != 0)
        #expect(r.stderr.contains("another sync of folder 'docs' is running on this device"), "\(r.stderr)")
        let usage = try a.client.run(["-operation", "sync", "-localPath", a.dir])
        #expect(usage.status != 0 && usage.stderr.contains("-folder NAME"), "\(usage.stderr)")
    }
}
