import Foundation
import PeerStoreTestKit
import Testing

/// `-exclude` patterns and `.peerstoreignore` files leave paths out of the snapshot; the patterns are remembered.
@Suite(.serialized)
struct ExcludeTests {
    func write(_ path: String, _ text: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    @Test func excludedPathsAreNotBackedUpAndTheNightlyRunKeepsThePatterns() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-exclude")
        defer { tmp.remove() }
        let src = tmp.sub("src")
        for file in ["keep.txt", "scratch.tmp", "build/out.o", "lib/build/kept.c", "docs/a.pdf", "docs/deep/b.pdf",
                     "proj/x.log", "proj/y.txt", "proj/sub/z.log", "other/w.log"] {
            try write(src + "/" + file, "content of \(file)\n")
        }
        try write(src + "/proj/.peerstoreignore", "# build output\n*.log\n")
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let client = ClientHarness(home: tmp.sub("home"))
        let backup = try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src,
                                     "-exclude", "*.tmp", "-exclude", "/build", "-exclude", "docs/*.pdf"])
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(backup.stdout.contains("5 paths excluded"), "\(backup.stdout)")

        // A new file matching a remembered pattern stays out of the nightly run too.
        try write(src + "/later.tmp", "new\n")
        let nightly = try client.run(["-operation", "backup"])
        #expect(nightly.status == 0, "\(nightly.stderr)")
        #expect(nightly.stdout.contains("6 paths excluded"), "\(nightly.stdout)")

        let out = tmp.sub("out")
        #expect(try client.run(["-operation", "restore", "-filedest", out]).status == 0)
        let restored = Set((FileManager.default.subpaths(atPath: out) ?? []).filter { !$0.hasSuffix("/") })
        for kept in ["keep.txt", "lib/build/kept.c", "docs/deep/b.pdf", "proj/y.txt", "proj/.peerstoreignore", "other/w.log"] {
            #expect(restored.contains(kept), "\(kept) should have been backed up: \(restored.sorted())")
        }
        for left in ["scratch.tmp", "later.tmp", "build", "build/out.o", "docs/a.pdf", "proj/x.log", "proj/sub/z.log"] {
            #expect(!restored.contains(left), "\(left) should have been excluded")
        }
    }
}
