import Foundation
import PeerStoreTestKit
import Testing

/// Names that are not UTF-8 (Latin-1 and broken bytes) through a real backup and restore: none is skipped, each comes
/// back byte for byte, excludes match their bytes, and printed names are escaped.
@Suite(.serialized)
struct NonUTF8NameTests {
    static let latin1File: [UInt8] = Array("caf".utf8) + [0xe9]  // "café" in Latin-1
    static let brokenFolder: [UInt8] = [0xff, 0xfe] + Array("folder".utf8)
    static let innerFile: [UInt8] = [0x80, 0x81] + Array(".txt".utf8)
    static let excluded: [UInt8] = [0xfd] + Array(".skip".utf8)
    static let linkTarget: [UInt8] = Array("../".utf8) + latin1File

    @Test func namesThatAreNotUTF8AreBackedUpAndRestoredByteForByte() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-names")
        defer { tmp.remove() }
        let src = Array(tmp.sub("src").utf8)
        let slash: [UInt8] = [0x2f]
        try Bytes.mkdir(src)
        try Bytes.write(src + slash + Self.latin1File, Array("latin-1 name".utf8))
        try Bytes.write(src + slash + Array("plain.txt".utf8), Array("plain".utf8))
        try Bytes.write(src + slash + Array(".peerstoreignore".utf8), Array("*.skip\n".utf8))
        try Bytes.write(src + slash + Self.excluded, Array("left out".utf8))
        let folder = src + slash + Self.brokenFolder
        try Bytes.mkdir(folder)
        try Bytes.write(folder + slash + Self.innerFile, [UInt8](repeating: 0xab, count: 3 << 20))  // several chunks
        try Bytes.symlink(Self.linkTarget, at: folder + slash + Array("link".utf8))
        try Bytes.link(src + slash + Self.latin1File, at: folder + slash + [0xe9])

        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let client = ClientHarness(home: tmp.sub("home"))
        let backup = try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", tmp.sub("src")])
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(!backup.stderr.contains("skipped") && !backup.stderr.contains("UTF-8"), "\(backup.stderr)")
        #expect(backup.stdout.contains("5 files, 1 folder, 1 link;"), "\(backup.stdout)")
        #expect(backup.stdout.contains("1 path excluded"), "\(backup.stdout)")
        // The file cache knows these paths: nothing changed, so the next backup reads nothing and stores its snapshot.
        let again = try client.run(["-operation", "backup"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(newBlocks(again.stdout) == 1, "\(again.stdout)")
        #expect(again.stdout.contains("0 files read"), "\(again.stdout)")

        let out = tmp.sub("restored")
        let restore = try client.run(["-operation", "restore", "-filedest", out])
        #expect(restore.status == 0, "\(restore.stderr)")
        var expected = Bytes.tree(src)
        expected[Self.excluded] = nil
        let restored = Bytes.tree(Array(out.utf8))
        #expect(restored.keys.sorted { $0.lexicographicallyPrecedes($1) } == expected.keys.sorted { $0.lexicographicallyPrecedes($1) })
        for (path, state) in expected { #expect(restored[path] == state, "\(path)") }
        #expect(restored[Self.brokenFolder + slash + Array("link".utf8)] == .link(Self.linkTarget))
        // The hard link is a hard link again.
        let outBytes = Array(out.utf8)
        #expect(try Bytes.inode(outBytes + slash + Self.latin1File) == Bytes.inode(outBytes + slash + Self.brokenFolder + slash + [0xe9]))

        // getfile takes the name as it is printed, other bytes as \xNN.
        let single = tmp.sub("single")
        let get = try client.run(["-operation", "getfile", "-filename", "\\xff\\xfefolder/\\x80\\x81.txt", "-filedest", single])
        #expect(get.status == 0, "\(get.stderr)")
        #expect(Bytes.tree(Array(single.utf8))[[]] == expected[Self.brokenFolder + slash + Self.innerFile])

        // A path the backup must skip is printed escaped.
        try Bytes.call(folder + slash + [0xfc] + Array("pipe".utf8)) { mkfifo($0, 0o600) }
        let skipping = try client.run(["-operation", "backup"])
        #expect(skipping.status == 3, "\(skipping.stderr)")
        #expect(skipping.stderr.contains("\\xff\\xfefolder/\\xfcpipe: not a file"), "\(skipping.stderr)")
    }
}

/// File-system calls on byte paths, and a byte-exact listing of a tree, written for the test (not the code under test).
enum Bytes {
    enum State: Equatable {
        case file([UInt8])
        case folder
        case link([UInt8])
    }

    static func call(_ path: [UInt8], _ body: (UnsafePointer<CChar>) -> Int32) throws {
        let rc = (path + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) } }
        guard rc == 0 else { throw TestKitError("\(path): \(String(cString: strerror(errno)))") }
    }

    static func mkdir(_ path: [UInt8]) throws { try call(path) { Glibc.mkdir($0, 0o755) } }

    static func write(_ path: [UInt8], _ bytes: [UInt8]) throws {
        var fd: Int32 = -1
        try call(path) {
            fd = open($0, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            return fd >= 0 ? 0 : -1
        }
        defer { close(fd) }
        guard bytes.withUnsafeBytes({ Glibc.write(fd, $0.baseAddress, $0.count) }) == bytes.count else {
            throw TestKitError("short write")
        }
        // An mtime well before the backup, so the file cache may trust it (see FileCache.racyMargin).
        var times = [timespec(tv_sec: 1_600_000_000, tv_nsec: 0), timespec(tv_sec: 1_600_000_000, tv_nsec: 0)]
        _ = futimens(fd, &times)
    }

    static func symlink(_ target: [UInt8], at path: [UInt8]) throws {
        try call(target) { t in (try? call(path) { Glibc.symlink(t, $0) }) == nil ? -1 : 0 }
    }

    static func link(_ existing: [UInt8], at path: [UInt8]) throws {
        try call(existing) { e in (try? call(path) { Glibc.link(e, $0) }) == nil ? -1 : 0 }
    }

    static func inode(_ path: [UInt8]) throws -> UInt64 {
        var st = stat()
        try call(path) { lstat($0, &st) }
        return UInt64(st.st_ino)
    }

    /// Every path under `root` (components joined by `/`, as bytes; the root itself is `[]`) and what it is.
    static func tree(_ root: [UInt8]) -> [[UInt8]: State] {
        var out: [[UInt8]: State] = [:]
        func visit(_ relative: [UInt8]) {
            let path = relative.isEmpty ? root : root + [0x2f] + relative
            var st = stat()
            guard (try? call(path, { lstat($0, &st) })) != nil else { return }
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                if !relative.isEmpty { out[relative] = .folder }
                for name in names(path) { visit(relative.isEmpty ? name : relative + [0x2f] + name) }
            case S_IFLNK:
                var buffer = [UInt8](repeating: 0, count: 4096)
                let n = (path + [0]).withUnsafeBufferPointer { p in
                    p.withMemoryRebound(to: CChar.self) { c in buffer.withUnsafeMutableBytes { readlink(c.baseAddress!, $0.baseAddress!, 4096) } }
                }
                out[relative] = .link(Array(buffer[0..<max(0, n)]))
            default:
                var fd: Int32 = -1
                _ = try? call(path) {
                    fd = open($0, O_RDONLY)
                    return fd >= 0 ? 0 : -1
                }
                var content: [UInt8] = []
                var chunk = [UInt8](repeating: 0, count: 1 << 16)
                while fd >= 0 {
                    let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
                    if n <= 0 { break }
                    content += chunk[0..<n]
                }
                if fd >= 0 { close(fd) }
                out[relative] = .file(content)
            }
        }
        visit([])
        return out
    }

    private static func names(_ path: [UInt8]) -> [[UInt8]] {
        guard let dir = (path + [0]).withUnsafeBufferPointer({ $0.withMemoryRebound(to: CChar.self) { opendir($0.baseAddress!) } }) else {
            return []
        }
        defer { closedir(dir) }
        var names: [[UInt8]] = []
        while let entry = readdir(dir) {
            let raw = UnsafeRawPointer(entry) + MemoryLayout<dirent>.offset(of: \dirent.d_name)!
            let name = Array(UnsafeRawBufferPointer(start: raw, count: strlen(raw.assumingMemoryBound(to: CChar.self))))
            if name != [0x2e] && name != [0x2e, 0x2e] { names.append(name) }
        }
        return names
    }
}
