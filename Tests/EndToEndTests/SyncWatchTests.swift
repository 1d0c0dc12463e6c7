import Foundation
import PeerStoreTestKit
import Testing

/// `sync -watch -poll 1`: a running sync takes another device's change at the next poll, and sends its own folder's
/// change when the file is written (inotify).
@Suite(.serialized)
struct SyncWatchTests {
    func write(_ path: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// Waits up to `seconds` for `condition`.
    func eventually(_ seconds: Double, _ condition: () -> Bool) throws -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return condition()
    }

    @Test func aWatchingSyncFollowsBothWays() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-sync-watch")
        defer { tmp.remove() }
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let (a, b) = (ClientHarness(home: tmp.sub("home-a")), ClientHarness(home: tmp.sub("home-b")))
        let (dirA, dirB) = (tmp.sub("a"), tmp.sub("b"))
        for dir in [dirA, dirB] { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        #expect(try a.run(["-operation", "init", "-peerAddr", server.address]).status == 0)
        try FileManager.default.createDirectory(atPath: b.home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try FileManager.default.copyItem(atPath: a.home + "/identity", toPath: b.home + "/identity")
        let syncA = ["-operation", "sync", "-device", "laptop", "-peerAddr", server.address, "-localPath", dirA, "-folder", "docs"]
        try write(dirA + "/first.txt", "first")
        #expect(try a.run(syncA).status == 0)

        let watcher = Process()
        watcher.executableURL = URL(fileURLWithPath: try BinaryLocator.path(of: "peerstore-client"))
        watcher.arguments = ["-home", b.home, "-quiet", "-operation", "sync", "-watch", "-poll", "1", "-device", "desktop",
                             "-peerAddr", server.address, "-localPath", dirB, "-folder", "docs"]
        watcher.standardOutput = FileHandle.nullDevice
        watcher.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try watcher.run()
        defer {
            watcher.terminate()
            watcher.waitUntilExit()
        }
        #expect(try eventually(20) { FileManager.default.contents(atPath: dirB + "/first.txt") == Data("first".utf8) }, "the first round")

        try write(dirA + "/second.txt", "second")
        #expect(try a.run(syncA).status == 0)
        #expect(try eventually(20) { FileManager.default.contents(atPath: dirB + "/second.txt") == Data("second".utf8) },
                "another device's change, at a poll")

        // Nothing else publishes meanwhile (A's rounds below change nothing, so they publish no head and no poll of B
        // fires): only inotify can start the round of B that sends the file, and A then finds it.
        try write(dirB + "/from-b.txt", "written where the sync watches")
        let sent = Data("written where the sync watches".utf8)
        #expect(try eventually(20) {
            (try? a.run(syncA).status) == 0 && FileManager.default.contents(atPath: dirA + "/from-b.txt") == sent
        }, "a change in the watched folder starts a round")
        #expect(watcher.isRunning, "-watch keeps running")
    }
}
