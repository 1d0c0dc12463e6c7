import Foundation
import Glibc
import PeerStoreTestKit

/// The many-small-files tree of issue 18: `count` files of 200-4,000 bytes, half text and half random bytes, in
/// folders of 100 (`count / 100` folders when `count` is a multiple of 100), with mtimes carrying nanoseconds.
/// The same count and seed give the same tree, byte for byte, on every machine.
struct SmallFileTree: Sendable {
    static let minSize = 200
    static let maxSize = 4_000
    static let filesPerFolder = 100

    /// One file of the tree: where it goes (relative to the root), its bytes and its mtime.
    struct File {
        var path: String
        var bytes: [UInt8]
        var seconds: Int
        var nanoseconds: Int
    }

    let count: Int
    let seed: UInt64

    /// The number of folders the files go into.
    var folderCount: Int { (count + Self.filesPerFolder - 1) / Self.filesPerFolder }

    /// The folder (relative to the root) of file `index`.
    static func folder(of index: Int) -> String { "d\(index / filesPerFolder)" }

    /// Calls `body` with every file in order, folder by folder (no filesystem involved).
    func forEachFile(_ body: (File) throws -> Void) rethrows {
        var rng = SeededRandom(seed: seed)
        for i in 0..<count {
            let size = Self.minSize + Int(rng.next() % UInt64(Self.maxSize - Self.minSize + 1))
            let isText = rng.next() % 2 == 0
            let bytes = isText ? Self.text(size: size, rng: &rng) : rng.bytes(size)
            let seconds = 1_700_000_000 + Int(rng.next() % 50_000_000)
            let nanoseconds = Int(rng.next() % 1_000_000_000)
            let name = "f\(i)" + (isText ? ".txt" : ".dat")
            try body(File(path: Self.folder(of: i) + "/" + name, bytes: bytes, seconds: seconds, nanoseconds: nanoseconds))
        }
    }

    /// Writes the tree into `root` (created if missing); returns the number of bytes of file content written.
    @discardableResult
    func write(into root: String) throws -> Int {
        let fm = FileManager.default
        try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
        var total = 0
        var folder = ""
        try forEachFile { file in
            let dir = String(file.path.prefix { $0 != "/" })
            if dir != folder {
                if !folder.isEmpty { Self.setTime(root + "/" + folder, seconds: 1_700_000_000) }
                folder = dir
                try fm.createDirectory(atPath: root + "/" + dir, withIntermediateDirectories: true)
            }
            let path = root + "/" + file.path
            guard Self.writeFile(path, file.bytes) else {
                throw TestKitError("cannot write \(path): \(String(cString: strerror(errno))); check the free space and permissions of -out")
            }
            Self.setTime(path, seconds: file.seconds, nanoseconds: file.nanoseconds)
            total += file.bytes.count
        }
        if !folder.isEmpty { Self.setTime(root + "/" + folder, seconds: 1_700_000_000) }
        Self.setTime(root, seconds: 1_700_000_000)
        return total
    }

    /// Lines of words with a number in front, cut at `size` bytes: text that compresses as text does.
    static func text(size: Int, rng: inout SeededRandom) -> [UInt8] {
        let words = ["alpha", "backup", "chord", "delta", "encrypt", "file", "gamma", "hash", "index", "journal",
                     "key", "ledger", "manifest", "node", "offset", "peer", "quorum", "ring", "snapshot", "tree"]
        var out = [UInt8]()
        out.reserveCapacity(size + 96)
        while out.count < size {
            out += Array("\(rng.next() % 100_000)".utf8)
            for _ in 0..<8 {
                out.append(0x20)
                out += Array(words[Int(rng.next() % UInt64(words.count))].utf8)
            }
            out.append(0x0A)
        }
        return Array(out.prefix(size))
    }

    /// A plain open/write/close: FileManager.createFile goes through a temporary file and a rename, about 3 times
    /// slower here for 20,000 files.
    private static func writeFile(_ path: String, _ bytes: [UInt8]) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return false }
                done += n
            }
            return true
        }
    }

    private static func setTime(_ path: String, seconds: Int, nanoseconds: Int = 0) {
        var times = [timespec(tv_sec: seconds, tv_nsec: nanoseconds), timespec(tv_sec: seconds, tv_nsec: nanoseconds)]
        _ = utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW)
    }
}
