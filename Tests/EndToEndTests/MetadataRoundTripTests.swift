import Foundation
import PeerStoreTestKit
import Testing

/// Metadata through a real backup and restore: nanosecond mtimes on files, folders and links, modes (setuid and a
/// read-only folder included), empty files and folders, a dangling link, hard links restored as hard links, a sparse
/// file restored sparse, and owners (as root).
@Suite(.serialized)
struct MetadataRoundTripTests {
    @Test func everyPathComesBackWithItsMetadata() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-meta")
        defer {
            // A read-only folder cannot be emptied by its owner (unless root).
            for dir in ["src/readonly", "restored/readonly"] { chmod(tmp.sub(dir), 0o700) }
            tmp.remove()
        }
        let src = tmp.sub("src")
        try MetadataTree.make(src)
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let client = ClientHarness(home: tmp.sub("home"))

        let backup = try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src])
        #expect(backup.status == 0, "\(backup.stderr)")
        // Hard-link entries are deterministic: nothing changed, so the next backup stores only its snapshot.
        let again = try client.run(["-operation", "backup"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(newBlocks(again.stdout) == 1, "\(again.stdout)")
        let out = tmp.sub("restored")
        let restore = try client.run(["-operation", "restore", "-filedest", out, "-json"])
        #expect(restore.status == 0, "\(restore.stderr)")

        let before = PathState.all(under: src)
        let after = PathState.all(under: out)
        // The source has what the test is about.
        #expect(before.count > 20)
        #expect(before["setuid-tool"]?.mode == 0o4755 && before["readonly"]?.mode == 0o555 && before["private.txt"]?.mode == 0o600)
        #expect(before["links/dangling"]?.kind == S_IFLNK && PathState(src + "/nowhere") == nil)
        #expect(before["empty"]?.size == 0 && before["empty-dir"]?.kind == S_IFDIR)
        #expect(before.values.allSatisfy { $0.mtime[1] >= 123_456_789 })
        // Every name of a hard-linked file counts as a file.
        let files = before.values.filter { $0.kind == S_IFREG }.count
        #expect(restore.stdout.contains("\"files\":\(files),"), "\(files) files: \(restore.stdout)")
        #expect(Set(before.keys) == Set(after.keys), "\(Set(before.keys).symmetricDifference(after.keys).sorted())")
        for (path, state) in before.sorted(by: { $0.key < $1.key }) {
            guard let copy = after[path] else { continue }
            let diffs = state.differences(copy)
            #expect(diffs.isEmpty, "\(path): \(diffs)")
        }

        // Hard links: each group of names shares one inode in the copy too, and no other path shares it.
        let groups = PathState.inodeGroups(before)
        #expect(groups.map(\.count).sorted() == [2, 3], "\(groups)")
        let restoredGroups = PathState.inodeGroups(after)
        #expect(Set(restoredGroups) == Set(groups), "\(restoredGroups)")
        for group in groups {
            #expect(Set(group.map { after[$0]!.inode }).count == 1)
            #expect(group.allSatisfy { after[$0]!.links == group.count })
        }

        // The sparse file: 8 MiB, 1 MiB of data, restored without writing the zeros.
        let sparse = after["sparse.img"]!
        #expect(sparse.size == 8 << 20)
        #expect(before["sparse.img"]!.allocated < 2 << 20, "the source file system keeps holes")
        #expect(sparse.allocated < 2 << 20, "restored sparse file allocates \(sparse.allocated) bytes")

        // getfile of the second and third names of hard links gives the content, under the asked-for name.
        for name in ["hard/pair-2", "c/d/triple-3", "readonly/triple-2"] {
            let dest = tmp.sub("single-" + name.replacingOccurrences(of: "/", with: "-"))
            let r = try client.run(["-operation", "getfile", "-filename", name, "-filedest", dest])
            #expect(r.status == 0, "\(name): \(r.stderr)")
            let got = PathState(dest)
            #expect(got?.content == before[name]!.content && got?.content?.isEmpty == false, "\(name)")
            #expect(got?.mode == before[name]!.mode && got?.mtime == before[name]!.mtime, "\(name)")
            #expect(got?.links == 1)
        }
        let intoFolder = tmp.sub("folder")
        try FileManager.default.createDirectory(atPath: intoFolder, withIntermediateDirectories: true)
        let r = try client.run(["-operation", "getfile", "-filename", "hard/pair-2", "-filedest", intoFolder])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(PathState(intoFolder + "/pair-2")?.content == before["hard/pair-1"]!.content)
    }

    /// As root, owners 4321:4321 of a file, a folder and a link come back; as anyone else, everything restored is theirs.
    @Test func ownersComeBackAsRootElseTheUserOwnsTheCopy() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-owner")
        defer { tmp.remove() }
        let src = tmp.sub("src")
        try FileManager.default.createDirectory(atPath: src + "/folder", withIntermediateDirectories: true)
        try Data("owned".utf8).write(to: URL(fileURLWithPath: src + "/folder/file.txt"))
        try FileManager.default.createSymbolicLink(atPath: src + "/link", withDestinationPath: "folder/file.txt")
        let names = ["folder", "folder/file.txt", "link"]
        let root = geteuid() == 0
        if root {
            for name in names { #expect(lchown(src + "/" + name, 4321, 4321) == 0, "\(name)") }
        }
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let client = ClientHarness(home: tmp.sub("home"))
        let backup = try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src])
        #expect(backup.status == 0, "\(backup.stderr)")
        let out = tmp.sub("restored")
        let restore = try client.run(["-operation", "restore", "-filedest", out])
        #expect(restore.status == 0, "\(restore.stderr)")
        let file = tmp.sub("single.txt")
        let single = try client.run(["-operation", "getfile", "-filename", "folder/file.txt", "-filedest", file])
        #expect(single.status == 0, "\(single.stderr)")

        let expected: (uid: UInt32, gid: UInt32) = root ? (4321, 4321) : (geteuid(), getegid())
        for path in names.map({ out + "/" + $0 }) + [file] {
            let state = try #require(PathState(path))
            #expect(state.uid == expected.uid && state.gid == expected.gid, "\(path): \(state.uid):\(state.gid)")
        }
    }

    /// A hard link whose file could not be restored (its block is damaged) is listed and not created; the rest is.
    @Test func hardLinkToAFileThatFailedIsListedNotCreated() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-hardfail")
        defer { tmp.remove() }
        let src = tmp.sub("src")
        try FileManager.default.createDirectory(atPath: src + "/later", withIntermediateDirectories: true)
        var rng = SeededRandom(seed: 11)
        try Data(rng.bytes(600 << 10)).write(to: URL(fileURLWithPath: src + "/big.bin"))
        #expect(link(src + "/big.bin", src + "/later/big-link") == 0)
        try Data("fine".utf8).write(to: URL(fileURLWithPath: src + "/small.txt"))
        let (restore, out) = try restoreAfterDamagingTheLargestBlock(src: src, tmp: tmp)
        #expect(restore.status == 3, "\(restore.stdout) \(restore.stderr)")
        #expect(restore.stderr.contains("big.bin"), "\(restore.stderr)")
        #expect(restore.stderr.contains("later/big-link: hard link to big.bin"), "\(restore.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out + "/big.bin"))
        #expect(!FileManager.default.fileExists(atPath: out + "/later/big-link"))
        #expect(FileManager.default.contents(atPath: out + "/small.txt") == Data("fine".utf8))
    }
}

/// The source tree of the round trip.
enum MetadataTree {
    static func make(_ src: String) throws {
        let fm = FileManager.default
        for dir in ["empty-dir", "readonly", "hard", "a", "c/d", "links"] {
            try fm.createDirectory(atPath: src + "/" + dir, withIntermediateDirectories: true)
        }
        var rng = SeededRandom(seed: 21)
        func file(_ name: String, _ bytes: [UInt8], mode: mode_t) throws {
            try Data(bytes).write(to: URL(fileURLWithPath: src + "/" + name))
            try check(chmod(src + "/" + name, mode), "chmod \(name)")
        }
        try file("plain.txt", Array("plain text\n".utf8), mode: 0o644)
        try file("private.txt", Array("secret\n".utf8), mode: 0o600)
        try file("tool", Array("#!/bin/sh\necho hi\n".utf8), mode: 0o755)
        try file("setuid-tool", Array("#!/bin/sh\necho root\n".utf8), mode: 0o4755)
        try file("empty", [], mode: 0o640)
        try file("readonly/inside.txt", Array("read only\n".utf8), mode: 0o444)
        try file("hard/pair-1", rng.bytes(3000), mode: 0o640)
        try check(link(src + "/hard/pair-1", src + "/hard/pair-2"), "link pair")
        // A triple across folders, one name inside the read-only folder (linked before its mode is set).
        try file("a/triple-1", rng.bytes(700 << 10), mode: 0o600)
        try check(link(src + "/a/triple-1", src + "/readonly/triple-2"), "link triple-2")
        try check(link(src + "/a/triple-1", src + "/c/d/triple-3"), "link triple-3")
        // 8 MiB with 1 MiB of data in the middle.
        let fd = open(src + "/sparse.img", O_WRONLY | O_CREAT | O_EXCL, 0o644)
        try check(fd >= 0 ? 0 : -1, "create sparse.img")
        try check(ftruncate(fd, 8 << 20), "size sparse.img")
        let data = rng.bytes(1 << 20)
        try check(data.withUnsafeBytes { pwrite(fd, $0.baseAddress!, $0.count, off_t(7 << 19)) } == 1 << 20 ? 0 : -1, "write sparse.img")
        close(fd)
        try fm.createSymbolicLink(atPath: src + "/links/dangling", withDestinationPath: "../nowhere/missing")
        try fm.createSymbolicLink(atPath: src + "/links/to-plain", withDestinationPath: "../plain.txt")

        // Nanosecond mtimes on everything, folders last (deepest first), then the folder modes.
        var ns = 123_456_789
        for path in PathState.all(under: src).keys.sorted(by: { $0.count > $1.count }) {
            var times = [timespec(tv_sec: 1_600_000_000 + ns % 1000, tv_nsec: ns),
                         timespec(tv_sec: 1_600_000_000 + ns % 1000, tv_nsec: ns)]
            try check(utimensat(AT_FDCWD, src + "/" + path, &times, AT_SYMLINK_NOFOLLOW), "utimensat \(path)")
            ns += 1_001
        }
        try check(chmod(src + "/empty-dir", 0o750), "chmod empty-dir")
        try check(chmod(src + "/c/d", 0o700), "chmod c/d")
        try check(chmod(src + "/readonly", 0o555), "chmod readonly")
        // chmod leaves mtimes alone; the root keeps its own.
    }

    static func check(_ result: Int32, _ what: String) throws {
        guard result == 0 else { throw TestKitError("\(what): \(String(cString: strerror(errno)))") }
    }
}

/// What lstat (and readlink, and the bytes) say about one path.
struct PathState: Equatable {
    var kind: mode_t
    var mode: mode_t
    var size: Int
    var mtime: [Int]
    var uid: UInt32
    var gid: UInt32
    var linkTarget: String?
    var content: Data?
    var inode: UInt
    var links: Int
    var allocated: Int

    init?(_ path: String) {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        kind = st.st_mode & S_IFMT
        mode = st.st_mode & 0o7777
        size = Int(st.st_size)
        mtime = [st.st_mtim.tv_sec, st.st_mtim.tv_nsec]
        uid = st.st_uid
        gid = st.st_gid
        inode = UInt(st.st_ino)
        links = Int(st.st_nlink)
        allocated = Int(st.st_blocks) * 512
        linkTarget = kind == S_IFLNK ? try? FileManager.default.destinationOfSymbolicLink(atPath: path) : nil
        content = kind == S_IFREG ? FileManager.default.contents(atPath: path) : nil
    }

    /// The fields that must survive a backup and restore and differ here (the inode does not; links only for files).
    func differences(_ other: PathState) -> [String] {
        var out: [String] = []
        if kind != other.kind { out.append("kind \(kind) vs \(other.kind)") }
        if mode != other.mode { out.append("mode \(String(mode, radix: 8)) vs \(String(other.mode, radix: 8))") }
        if size != other.size { out.append("size \(size) vs \(other.size)") }
        if mtime != other.mtime { out.append("mtime \(mtime) vs \(other.mtime)") }
        if uid != other.uid || gid != other.gid { out.append("owner \(uid):\(gid) vs \(other.uid):\(other.gid)") }
        if linkTarget != other.linkTarget { out.append("link target \(linkTarget ?? "-") vs \(other.linkTarget ?? "-")") }
        if content != other.content { out.append("content differs") }
        if kind == S_IFREG && links != other.links { out.append("links \(links) vs \(other.links)") }
        return out
    }

    /// Every path under `root` (relative, "." for the root itself), not following links.
    static func all(under root: String) -> [String: PathState] {
        var out: [String: PathState] = [:]
        func walk(_ relative: String) {
            let path = relative == "." ? root : root + "/" + relative
            guard let state = PathState(path) else { return }
            out[relative] = state
            guard state.kind == S_IFDIR else { return }
            for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
                walk(relative == "." ? name : relative + "/" + name)
            }
        }
        walk(".")
        return out
    }

    /// The sets of regular-file paths that share an inode, for inodes with more than one path.
    static func inodeGroups(_ states: [String: PathState]) -> [Set<String>] {
        Dictionary(grouping: states.filter { $0.value.kind == S_IFREG }, by: { $0.value.inode })
            .values.map { Set($0.map(\.key)) }.filter { $0.count > 1 }
    }
}
