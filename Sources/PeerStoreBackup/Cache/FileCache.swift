import ChordRing
import NIOCore

/// The file cache a previous backup left: for each absolute path (bytes, UTF-8 or not), the metadata and content of the file that was there.
/// A file whose metadata still matches, and that was not modified just before that backup started, is not read again.
///
/// Memory: the decoded plaintext stays as it is (about 150 bytes a file) and an index maps each path to its record;
/// an entry is decoded only when its file is looked up.
public struct FileCache: Sendable {
    /// A file modified less than this before the previous backup started is read again: a change in the same clock
    /// tick as that backup's look at the file would leave size and times as they were (the racy-mtime rule).
    public static let racyMargin: Int64 = 1_000_000_000

    public let header: FileCacheHeader
    private let records: ByteBuffer
    private var index: [LocalPath: Int32]
    /// Manifest chunks fetched for entries of a version 1 cache (`learn`).
    private var learned: [LocalPath: [Identifier]] = [:]

    /// The fewest bytes one path record takes: shared prefix u16, rest of the path (u16 + bytes), and an entry's fixed
    /// fields (size, mtime, ctime, inode, device, content tag).
    static let minimumRecordSize = 2 + 2 + (8 + 8 + 4 + 8 + 4 + 8 + 8 + 1)

    /// Index slots to reserve for a cache whose header claims `count` entries with `bytesLeft` bytes after it: never
    /// more than those bytes can hold, so a short or damaged cache cannot make a large reservation (found by fuzzing:
    /// a 37-byte cache claiming 4 million entries reserved them all).
    static func reservation(count: UInt32, bytesLeft: Int) -> Int {
        min(Int(count), 1 << 22, bytesLeft / minimumRecordSize)
    }

    /// Decodes and checks a whole cache plaintext; throws `BackupError` (bad format) if any part is wrong.
    public init(plaintext: [UInt8]) throws {
        try self.init(plaintext: ByteBuffer(bytes: plaintext))
    }

    /// Decodes and checks a whole cache plaintext; the records stay in `plaintext`'s storage (no copy).
    public init(plaintext: ByteBuffer) throws {
        guard plaintext.readableBytes < Int(Int32.max) else { throw BackupError.badFormat("file cache", "too large") }
        var p = plaintext
        header = try FileCacheHeader.decode(from: &p)
        var index: [LocalPath: Int32] = [:]
        index.reserveCapacity(Self.reservation(count: header.count, bytesLeft: p.readableBytes))
        var last: [UInt8] = []
        for _ in 0..<header.count {
            guard let shared = p.readInteger(as: UInt16.self), Int(shared) <= last.count else {
                throw BackupError.badFormat("file cache", "bad path record")
            }
            let rest = try p.readShortBytes(max: Int(UInt16.max), what: "file cache")
            let bytes = Array(last[..<Int(shared)]) + rest
            index[LocalPath(bytes: bytes)] = Int32(p.readerIndex)
            _ = try FileCacheEntry.decode(from: &p, version: header.formatVersion)
            last = bytes
        }
        guard p.readableBytes == 0 else { throw BackupError.badFormat("file cache", "bytes after the last entry") }
        records = p
        self.index = index
    }

    public var count: Int { index.count }
    public var paths: [LocalPath] { Array(index.keys) }

    /// The entry recorded for `path`, whatever the file looks like now.
    public func entry(path: LocalPath) -> FileCacheEntry? {
        guard let offset = index[path] else { return nil }
        var p = records
        p.moveReaderIndex(to: Int(offset))
        guard var entry = try? FileCacheEntry.decode(from: &p, version: header.formatVersion) else { return nil }
        if entry.manifestChunks == nil, let chunks = learned[path] { entry.manifestChunks = chunks }
        return entry
    }

    /// Records the chunks of `path`'s manifest, learned by fetching it (a version 1 cache does not list them); the
    /// entry carries them from now on, and so does the next cache.
    public mutating func learn(manifestChunks chunks: [Identifier], for path: LocalPath) {
        learned[path] = chunks
    }

    /// The entry for `path` if the file `info` describes is the one it was made from: same size, mtime, ctime, inode
    /// and device, and an mtime older than the previous backup's start minus `racyMargin`. Nil means: read the file.
    public func unchanged(path: LocalPath, info: FileInfo) -> FileCacheEntry? {
        guard let entry = entry(path: path), isUnchanged(entry, info: info) else { return nil }
        return entry
    }

    /// Whether `entry` (this cache's, for the file's path) still describes the file `info` describes (see `unchanged`).
    public func isUnchanged(_ entry: FileCacheEntry, info: FileInfo) -> Bool {
        guard info.kind == .file, entry.matches(info) else { return false }
        let limit = header.started - Self.racyMargin
        let limitTime = Timestamp(
            seconds: limit >= 0 ? limit / 1_000_000_000 : (limit - 999_999_999) / 1_000_000_000,
            nanoseconds: UInt32(((limit % 1_000_000_000) + 1_000_000_000) % 1_000_000_000))
        return info.mtime < limitTime
    }

    /// Drops `path` (its blocks are missing on the ring, so the file must be read).
    public mutating func forget(_ path: LocalPath) {
        index[path] = nil
    }
}
