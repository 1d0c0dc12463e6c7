import Foundation
import PeerStoreTestKit
import Testing

/// `restore -filename DIR` restores only that folder (it was silently ignored and restored everything), a -filename
/// naming a file restores that file, and a path that is not in the snapshot writes nothing.
@Suite(.serialized)
struct RestoreSubfolderTests {
    func write(_ path: String, _ text: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    @Test func restoreFilenameRestoresOnlyThatFolderOrFile() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-subfolder")
        defer { tmp.remove() }
        let src = tmp.sub("src")
        for file in ["top.txt", "docs/a.txt", "docs/deep/b.txt", "other/c.txt"] { try write(src + "/" + file, "content of \(file)\n") }
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let client = ClientHarness(home: tmp.sub("home"))
        let backup = try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src])
        #expect(backup.status == 0, "\(backup.stderr)")

        let out = tmp.sub("out")
        let folder = try client.run(["-operation", "restore", "-filename", "docs", "-filedest", out])
        #expect(folder.status == 0, "\(folder.stderr)")
        let restored = Set(FileManager.default.subpaths(atPath: out) ?? [])
        #expect(restored == ["a.txt", "deep", "deep/b.txt"], "\(restored.sorted())")
        #expect(try String(contentsOfFile: out + "/deep/b.txt", encoding: .utf8) == "content of docs/deep/b.txt\n")

        // The absolute path as backed up works too, and a file is restored as getfile would.
        let one = tmp.sub("one.txt")
        let file = try client.run(["-operation", "restore", "-filename", src + "/docs/deep/b.txt", "-filedest", one])
        #expect(file.status == 0, "\(file.stderr)")
        #expect(try String(contentsOfFile: one, encoding: .utf8) == "content of docs/deep/b.txt\n")

        // Not in the snapshot: one line, exit 1, nothing written.
        let none = tmp.sub("none")
        let missing = try client.run(["-operation", "restore", "-filename", "docs/nothere", "-filedest", none])
        #expect(missing.status == 1, "\(missing.stdout)")
        #expect(missing.stderr.contains("docs/nothere is not in the"), "\(missing.stderr)")
        #expect(oneLine(missing.stderr), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: none))
        #expect((try FileManager.default.contentsOfDirectory(atPath: tmp.path)).allSatisfy { !$0.contains("peerstore-restore") })
    }
}
