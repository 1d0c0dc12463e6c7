import Foundation
import PeerStoreTestKit

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
