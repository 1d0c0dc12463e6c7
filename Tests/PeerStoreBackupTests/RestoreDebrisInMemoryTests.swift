import Foundation
import PeerStoreBackup
import PeerStoreTestKit
import Testing

/// The next restore into the same place removes what an interrupted one left (its work folder, its temp files) and
/// nothing else; in-process against an in-memory ring.
@Suite(.timeLimit(.minutes(1)))
struct RestoreDebrisInMemoryTests {
    func write(_ text: String, _ path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    @Test func theNextRestoreRemovesAnInterruptedOnesDebris() async throws {
        let c = try InMemoryClient(prefix: "mem-debris")
        defer { c.tmp.remove() }
        let tmp = c.tmp
        try write("alpha", c.src + "/a.txt")
        try write("beta", c.src + "/dir/b.txt")
        _ = try await c.backup()

        // As SIGINT leaves it: a hidden work folder beside the destination, half full. Beside it, names that only
        // look alike and must stay.
        let work = tmp.sub(".out.peerstore-restore-0badc0de")
        try write("partial", work + "/a.txt")
        let lookalikes = [tmp.sub(".out.peerstore-restore-keep"), tmp.sub(".other.peerstore-restore-0badc0de")]
        for path in lookalikes { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        #expect(try await c.restore(to: tmp.sub("out")).failed.isEmpty)
        #expect(!exists(work))
        #expect(lookalikes.allSatisfy(exists))
        #expect(TreeComparison.differences(c.src, tmp.sub("out"), compareRootMetadata: false) == [])

        // As kill -9 of `restore -force` leaves it: empty temp files beside the final names, in every folder.
        let out = tmp.sub("forced")
        try write("mine", out + "/mine.txt")
        let debris = [out + "/.a.txt.peerstore-0123456789ab", out + "/dir/.b.txt.peerstore-ba9876543210",
                      out + "/.notinsnapshot.peerstore-aaaaaaaaaaaa"]
        for path in debris { try write("", path) }
        let keep = [out + "/.a.txt.peerstore-notatempname", out + "/dir/.b.txt.peerstore-0123", out + "/mine.txt"]
        for path in keep where !exists(path) { try write("keep", path) }
        let folderLookalike = out + "/.d.peerstore-0123456789ab"
        try FileManager.default.createDirectory(atPath: folderLookalike, withIntermediateDirectories: true)
        #expect(try await c.restore(to: out, force: true).failed.isEmpty)
        #expect(debris.allSatisfy { !exists($0) }, "\((try? FileManager.default.subpathsOfDirectory(atPath: out)) ?? [])")
        #expect(keep.allSatisfy(exists) && exists(folderLookalike))
        #expect(try String(contentsOfFile: out + "/a.txt", encoding: .utf8) == "alpha")

        // One file: its own temp files beside the target go, others' stay.
        let single = tmp.sub("single")
        try write("", single + "/.a.txt.peerstore-00000000ffff")
        try write("", single + "/.z.txt.peerstore-00000000ffff")
        #expect(try await c.getfile("a.txt", to: single).failed.isEmpty)
        #expect(!exists(single + "/.a.txt.peerstore-00000000ffff") && exists(single + "/.z.txt.peerstore-00000000ffff"))
        #expect(try String(contentsOfFile: single + "/a.txt", encoding: .utf8) == "alpha")
    }

    @Test func aForcedRestoreReplacesALinkWhereTheSnapshotHasAFolder() async throws {
        let c = try InMemoryClient(prefix: "mem-link-dir")
        defer { c.tmp.remove() }
        try write("inside", c.src + "/sub/file.txt")
        _ = try await c.backup()
        let out = c.tmp.sub("out"), outside = c.tmp.sub("outside")
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: out + "/sub", withDestinationPath: outside)
        #expect(try await c.restore(to: out, force: true).failed.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty, "nothing written through the link")
        #expect(try FileInfo.lstat(out + "/sub").kind == .directory)
        #expect(try String(contentsOfFile: out + "/sub/file.txt", encoding: .utf8) == "inside")
    }
}
