import Foundation
import PeerStoreTestKit
import Testing

/// A node that serves an older signed head (a copy of its data from before the last backup: stale or malicious) is
/// noticed: the client remembers the newest head seq it saw and refuses to go back.
@Suite(.timeLimit(.minutes(2)))
struct HeadRollbackTests {
    @Test func aNodeServingAnOlderHeadIsRefused() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-rollback")
        defer { tmp.remove() }
        let src = tmp.sub("src")
        try FileManager.default.createDirectory(atPath: src, withIntermediateDirectories: true)
        try Data("first".utf8).write(to: URL(fileURLWithPath: src + "/a.txt"))
        let client = ClientHarness(home: tmp.sub("home"))

        var server = try ServerProcess(dataPath: tmp.sub("node"))
        let first = try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src, "-device", "laptop"])
        #expect(first.status == 0, "\(first.stderr)")
        server.stop()
        try FileManager.default.copyItem(atPath: tmp.sub("node"), toPath: tmp.sub("old"))  // the node as it was: head seq 1

        server = try ServerProcess(dataPath: tmp.sub("node"))
        try Data("second".utf8).write(to: URL(fileURLWithPath: src + "/a.txt"))
        let second = try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src, "-device", "laptop"])
        #expect(second.status == 0, "\(second.stderr)")
        server.stop()

        // The same node key, its data rolled back to before the second backup.
        server = try ServerProcess(dataPath: tmp.sub("old"))
        defer { server.stop() }
        let listed = try client.run(["-operation", "snapshots", "-peerAddr", server.address, "-device", "laptop"])
        #expect(listed.status != 0)
        #expect(listed.stderr.contains("the ring served an older head for device 'laptop' (seq 1, last seen 2)"), "\(listed.stderr)")
        let restore = try client.run(["-operation", "restore", "-peerAddr", server.address, "-device", "laptop", "-filedest", tmp.sub("out")])
        #expect(restore.status != 0)
        #expect(!FileManager.default.fileExists(atPath: tmp.sub("out/a.txt")))
    }
}
