import Foundation
import PeerStoreTestKit
import Testing

/// The node and the client run as a normal user, as every real deployment does (a systemd unit with its own user):
/// a keyed ring, a backup, a restore. Root may do what such a user may not (it may set SO_DEBUG, which TCP_NODELAY
/// set at the socket level turned on: the node then died on its first connection), so the rest of the suite, which
/// runs as root, cannot see such failures.
@Suite(.serialized)
struct UnprivilegedUserTests {
    @Test func aKeyedRingServesBackupAndRestoreAsANormalUser() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-nobody")
        defer { tmp.remove() }
        let user = try UnprivilegedUser(copyingExecutablesInto: tmp.sub("bin"))
        let run = tmp.sub("run")
        try user.own(run)
        let src = tmp.sub("src")
        try FileManager.default.createDirectory(atPath: src + "/docs", withIntermediateDirectories: true)
        try Data("a small file\n".utf8).write(to: URL(fileURLWithPath: src + "/docs/a.txt"))
        var random = SystemRandomNumberGenerator()
        try Data((0..<(3 << 20)).map { _ in UInt8(truncatingIfNeeded: random.next()) }).write(to: URL(fileURLWithPath: src + "/big.bin"))

        func client(_ arguments: [String]) throws -> CommandRunner.Result {
            try CommandRunner.run("peerstore-client", ["-home", run + "/home"] + arguments, user: user)
        }
        let key = run + "/ring.key"
        let genkey = try client(["-operation", "genkey", "-networkKeyFile", key])
        #expect(genkey.status == 0, "\(genkey.stderr)")

        let server = try ServerProcess(dataPath: run + "/node", extraArguments: ["-networkKeyFile", key], user: user)
        defer { server.stop() }
        let backup = try client(["-operation", "backup", "-peerAddr", server.address, "-networkKeyFile", key, "-localPath", src])
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(!backup.stderr.contains("another network key"), "\(backup.stderr)")
        #expect(server.process.isRunning, "the node died: \((try? String(contentsOfFile: server.logPath, encoding: .utf8)) ?? "")")

        let out = run + "/restored"
        let restore = try client(["-operation", "restore", "-filedest", out])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(TreeComparison.differences(src, out).isEmpty)
        // What it wrote belongs to the user, and the node kept serving all along.
        var info = stat()
        #expect(stat(out + "/big.bin", &info) == 0 && info.st_uid == user.uid)
        #expect(server.process.isRunning)
        #expect(server.stop() == 0)
    }
}
