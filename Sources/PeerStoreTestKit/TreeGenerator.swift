import Foundation

/// Generates a deterministic test corpus: big incompressible files, big text/log files, a sparse file, thousands of
/// small files in nested folders, empty files and folders, symlinks (one dangling), unicode names, 0600/0644/0755
/// modes and mtimes with nanoseconds. Text files carry `marker` strings, so a test can grep for leaked plaintext.
public struct TreeGenerator: Sendable {
    public struct Settings: Sendable {
        public var seed: UInt64 = 1
        public var bigRandomFiles = 2
        public var bigRandomSize = 128 << 20
        public var bigTextFiles = 2
        public var bigTextSize = 96 << 20
        public var sparseFileSize = 64 << 20
        public var smallFiles = 20_000
        public var smallMin = 1 << 10
        public var smallMax = 64 << 10
        public var filesPerFolder = 40
        public var emptyFiles = 20
        public var symlinks = 10

        public init() {}

        /// About `total` bytes in all, split like the default ~1 GiB corpus.
        public static func approximately(_ total: Int, seed: UInt64 = 1) -> Settings {
            var s = Settings()
            s.seed = seed
            let scale = Double(total) / Double(1 << 30)
            s.bigRandomSize = max(64 << 10, Int(Double(128 << 20) * scale))
            s.bigTextSize = max(64 << 10, Int(Double(96 << 20) * scale))
            s.sparseFileSize = max(1 << 20, Int(Double(64 << 20) * scale))
            s.smallFiles = max(50, Int(Double(20_000) * scale))
            return s
        }
    }

    public static let marker = "PEERSTORE-PLAINTEXT-MARKER"
    public let settings: Settings

    public init(settings: Settings = .init()) {
        self.settings = settings
    }

    /// Writes the corpus into `root` (created if missing); returns the number of bytes of file content written.
    @discardableResult
    public func generate(into root: String) throws -> Int {
        var rng = SeededRandom(seed: settings.seed)
        let fm = FileManager.default
        try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
        var total = 0
        var fileCount = 0
        func write(_ path: String, _ bytes: [UInt8], mode: Int = 0o644) throws {
            guard fm.createFile(atPath: path, contents: Data(bytes)) else { throw TestKitError("cannot write \(path)") }
            try fm.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
            total += bytes.count
            fileCount += 1
        }

        try fm.createDirectory(atPath: root + "/big", withIntermediateDirectories: true)
        for i in 0..<settings.bigRandomFiles {
            try writeStreaming(root + "/big/random-\(i).bin", size: settings.bigRandomSize, rng: &rng, text: false)
            total += settings.bigRandomSize
        }
        for i in 0..<settings.bigTextFiles {
            try writeStreaming(root + "/big/server-\(i).log", size: settings.bigTextSize, rng: &rng, text: true)
            total += settings.bigTextSize
        }
        try writeSparse(root + "/big/sparse.img", size: settings.sparseFileSize, rng: &rng)

        let names = ["notes", "Überblick", "данные", "写真", "café", "plain", "mixed case", "emoji-🎉"]
        var folder = ""
        for i in 0..<settings.smallFiles {
            if i % settings.filesPerFolder == 0 {
                let depth = Int(rng.next() % 3)
                folder = "/small/d\(i / settings.filesPerFolder)"
                for d in 0..<depth { folder += "/\(names[Int(rng.next() % UInt64(names.count))])-\(d)" }
                try fm.createDirectory(atPath: root + folder, withIntermediateDirectories: true)
            }
            let size = settings.smallMin + Int(rng.next() % UInt64(settings.smallMax - settings.smallMin + 1))
            let isText = rng.next() % 2 == 0
            let name = "\(names[i % names.count])-\(i)" + (isText ? ".txt" : ".dat")
            let bytes = isText ? Self.text(size: size, rng: &rng, index: i) : rng.bytes(size)
            try write(root + folder + "/" + name, bytes, mode: [0o644, 0o600, 0o755][i % 3])
        }
        try fm.createDirectory(atPath: root + "/empty/nested/deeper", withIntermediateDirectories: true)
        for i in 0..<settings.emptyFiles { try write(root + "/empty/empty-\(i)", []) }
        try fm.createDirectory(atPath: root + "/links", withIntermediateDirectories: true)
        for i in 0..<settings.symlinks {
            let target = i == 0 ? "does-not-exist" : (i % 2 == 0 ? "../big/server-0.log" : "/etc/hostname")
            try fm.createSymbolicLink(atPath: root + "/links/link-\(i)", withDestinationPath: target)
        }
        try setTimes(root, rng: &rng)
        return total
    }

    static func text(size: Int, rng: inout SeededRandom, index: Int) -> [UInt8] {
        let words = ["alpha", "backup", "chord", "delta", "encrypt", "file", "gamma", "hash", "index", "journal",
                     "key", "ledger", "manifest", "node", "offset", "peer", "quorum", "ring", "snapshot", "tree"]
        var out = [UInt8]()
        out.reserveCapacity(size + 64)
        out += Array("\(marker)-\(index)\n".utf8)
        while out.count < size {
            let line = (0..<8).map { _ in words[Int(rng.next() % UInt64(words.count))] }.joined(separator: " ")
            out += Array("\(rng.next() % 100000) \(line)\n".utf8)
        }
        return Array(out.prefix(size))
    }

    private func writeStreaming(_ path: String, size: Int, rng: inout SeededRandom, text: Bool) throws {
        FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { throw TestKitError("cannot write \(path)") }
        defer { try? handle.close() }
        var written = 0
        var line = 0
        while written < size {
            let n = min(4 << 20, size - written)
            var block: [UInt8]
            if text {
                block = []
                block.reserveCapacity(n)
                while block.count < n {
                    line += 1
                    let level = ["INFO", "WARN", "DEBUG", "ERROR"][Int(rng.next() % 4)]
                    block += Array("2026-11-21T10:\(line % 60):\(line % 60).\(rng.next() % 1000)Z \(level) request=\(rng.next() % 100_000) \(Self.marker)-log latency_ms=\(rng.next() % 900) path=/api/v1/items/\(rng.next() % 5000)\n".utf8)
                }
                block = Array(block.prefix(n))
            } else {
                block = rng.bytes(n)
            }
            try handle.write(contentsOf: block)
            written += n
        }
    }

    private func writeSparse(_ path: String, size: Int, rng: inout SeededRandom) throws {
        FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { throw TestKitError("cannot write \(path)") }
        defer { try? handle.close() }
        try handle.write(contentsOf: rng.bytes(64 << 10))
        try handle.seek(toOffset: UInt64(size / 2))
        try handle.write(contentsOf: rng.bytes(64 << 10))
        try handle.truncate(atOffset: UInt64(size))
    }

    /// Gives every entry a deterministic mtime with nanoseconds, deepest first so folder times stick.
    private func setTimes(_ root: String, rng: inout SeededRandom) throws {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return }
        var paths: [String] = []
        while let p = enumerator.nextObject() as? String { paths.append(root + "/" + p) }
        paths.sort { $0.count > $1.count }
        for path in paths + [root] {
            let sec = 1_700_000_000 + Int(rng.next() % 50_000_000)
            let nsec = Int(rng.next() % 1_000_000_000)
            var times = [timespec(tv_sec: sec, tv_nsec: nsec), timespec(tv_sec: sec, tv_nsec: nsec)]
            _ = utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW)
        }
    }
}
