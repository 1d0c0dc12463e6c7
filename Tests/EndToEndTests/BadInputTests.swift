import Foundation
import PeerStoreTestKit
import Testing

/// Bad input gets a one-line reason and a non-zero exit, and loses nothing.
@Suite(.serialized)
struct BadInputTests {
    /// A started server, a client home with one backup of a small folder.
    struct Setup {
        let tmp: TemporaryDirectory
        let server: ServerProcess
        let client: ClientHarness
        let src: String

        init() throws {
            tmp = try TemporaryDirectory(prefix: "e2e-bad")
            src = tmp.sub("src")
            try FileManager.default.createDirectory(atPath: src + "/dir", withIntermediateDirectories: true)
            try Data("keep me".utf8).write(to: URL(fileURLWithPath: src + "/dir/a.txt"))
            server = try ServerProcess(dataPath: tmp.sub("node"))
            client = ClientHarness(home: tmp.sub("home"))
            let r = try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src])
            guard r.status == 0 else { throw TestKitError("setup backup failed: \(r.stderr)") }
        }

        func tearDown() {
            server.stop()
            tmp.remove()
        }
    }

    @Test func unreachablePeer() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-unreach")
        defer { tmp.remove() }
        try FileManager.default.createDirectory(atPath: tmp.sub("src"), withIntermediateDirectories: true)
        // Port 1 on loopback: nothing listens there.
        let r = try ClientHarness(home: tmp.sub("home")).run(["-operation", "backup", "-peerAddr", "127.0.0.1:1", "-localPath", tmp.sub("src")])
        #expect(r.status == 1)
        #expect(r.stderr.contains("nothing listens on 127.0.0.1:1"), "\(r.stderr)")
        // One line says why (a warning about the open demo ring may come before it).
        #expect(r.stderr.split(separator: "\n").filter { !$0.contains("warning:") }.count == 1, "\(r.stderr)")
    }

    @Test func missingLocalPathAndMissingFileInSnapshot() throws {
        let s = try Setup()
        defer { s.tearDown() }
        let missing = try s.client.run(["-operation", "backup", "-localPath", s.tmp.sub("nope")])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("does not exist"), "\(missing.stderr)")

        let notThere = try s.client.run(["-operation", "getfile", "-filename", "dir/b.txt", "-filedest", s.tmp.sub("x")])
        #expect(notThere.status == 1)
        #expect(notThere.stderr.contains("not in the latest snapshot"), "\(notThere.stderr)")
        #expect(!FileManager.default.fileExists(atPath: s.tmp.sub("x")))
    }

    @Test func destinationRules() throws {
        let s = try Setup()
        defer { s.tearDown() }
        let noFolder = try s.client.run(["-operation", "getfile", "-filename", "dir/a.txt", "-filedest", s.tmp.sub("missing/out.txt")])
        #expect(noFolder.status == 1)
        #expect(noFolder.stderr.contains("does not exist"), "\(noFolder.stderr)")

        let existing = s.tmp.sub("existing.txt")
        try Data("precious".utf8).write(to: URL(fileURLWithPath: existing))
        let refused = try s.client.run(["-operation", "getfile", "-filename", "dir/a.txt", "-filedest", existing])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("-force"), "\(refused.stderr)")
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "precious")

        let forced = try s.client.run(["-operation", "getfile", "-filename", "dir/a.txt", "-filedest", existing, "-force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep me")

        let nonEmpty = s.tmp.sub("nonempty")
        try FileManager.default.createDirectory(atPath: nonEmpty, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: nonEmpty + "/mine"))
        let restoreRefused = try s.client.run(["-operation", "restore", "-filedest", nonEmpty])
        #expect(restoreRefused.status == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: nonEmpty) == ["mine"])
    }

    @Test func corruptedIdentityIsReported() throws {
        let s = try Setup()
        defer { s.tearDown() }
        let path = s.tmp.sub("home/identity")
        var bytes = [UInt8](FileManager.default.contents(atPath: path)!)
        bytes[40] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let r = try s.client.run(["-operation", "restore", "-filedest", s.tmp.sub("out")])
        #expect(r.status == 1)
        #expect(r.stderr.contains("corrupted"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: s.tmp.sub("out")))
    }

    @Test func specialFilesAreSkippedAndReported() throws {
        let s = try Setup()
        defer { s.tearDown() }
        #expect(mkfifo(s.src + "/dir/pipe", 0o644) == 0)
        let r = try s.client.run(["-operation", "backup"])
        #expect(r.status == 3, "\(r.stderr)")
        #expect(r.stderr.contains("skipped"), "\(r.stderr)")
        // The rest was still backed up.
        let out = try s.client.run(["-operation", "getfile", "-filename", "dir/a.txt", "-filedest", s.tmp.sub("a.out")])
        #expect(out.status == 0)
    }

    @Test func corruptBlockOnTheServerNeverYieldsAWrongFile() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-corrupt")
        defer { tmp.remove() }
        let src = tmp.sub("src")
        try FileManager.default.createDirectory(atPath: src, withIntermediateDirectories: true)
        var rng = SeededRandom(seed: 3)
        for i in 0..<4 { try Data(rng.bytes(600 << 10)).write(to: URL(fileURLWithPath: src + "/file-\(i).bin")) }
        // One byte flipped in the middle of the largest entry: a chunk of one file (not the small tree or snapshot).
        let (restore, out) = try restoreAfterDamagingTheLargestBlock(src: src, tmp: tmp)
        #expect(restore.status == 3, "\(restore.stdout) \(restore.stderr)")
        // The damaged block is found (at start-up or on read) and the file it belongs to is named.
        #expect(restore.stderr.contains("could not be restored") && restore.stderr.contains("file-"), "\(restore.stderr)")
        // Every file that was written is exactly right; the damaged one is absent, never wrong or empty.
        let diffs = TreeComparison.differences(src, out, compareRootMetadata: false)
        #expect(diffs.count == 1, "\(diffs)")
        #expect(diffs.allSatisfy { $0.hasPrefix("missing in copy") }, "\(diffs)")
    }
}
