import NIOCore

/// The start of a file cache's plaintext (version 2; 1 still reads, see `FileCacheEntry`): `"PSFC" | version u8 | chunk sizes min, average, max u32 |
/// device (u16 + bytes) | started i64 ns | entry count u32`. A cache belongs to one device and one set of chunk sizes:
/// entries made with other sizes would give other chunks, so such a cache is not used.
public struct FileCacheHeader: Equatable, Sendable {
    public static let magic = Array("PSFC".utf8)
    public static let version: UInt8 = 2

    public var device: String
    /// When the backup that wrote the cache started (ns since 1970): the reference of the racy-mtime rule.
    public var started: Int64
    public var chunker: ChunkerSettings
    public var count: UInt32
    /// The format version it was written in (this build writes `version`).
    public var formatVersion: UInt8 = Self.version

    public init(device: String, started: Int64, chunker: ChunkerSettings, count: UInt32 = 0) {
        self.device = device
        self.started = started
        self.chunker = chunker
        self.count = count
    }

    func encode(into out: inout ByteBuffer) {
        out.writeBytes(Self.magic)
        out.writeInteger(Self.version)
        out.writeInteger(UInt32(chunker.minSize))
        out.writeInteger(UInt32(chunker.averageSize))
        out.writeInteger(UInt32(chunker.maxSize))
        out.writeShortBytes(Array(device.utf8))
        out.writeInteger(started)
        out.writeInteger(count)
    }

    static func decode(from p: inout ByteBuffer) throws -> FileCacheHeader {
        let what = "file cache"
        guard p.readBytes(length: 4) == Self.magic else { throw BackupError.badFormat(what, "not a file cache") }
        guard let version = p.readInteger(as: UInt8.self) else { throw BackupError.badFormat(what, "truncated") }
        guard (1...Self.version).contains(version) else {
            throw BackupError.badFormat(what, "format version \(version), this client uses \(Self.version)")
        }
        guard let minSize = p.readInteger(as: UInt32.self), let average = p.readInteger(as: UInt32.self),
            let maxSize = p.readInteger(as: UInt32.self), minSize > 0, minSize < average, average < maxSize,
            average & (average - 1) == 0
        else { throw BackupError.badFormat(what, "bad chunk sizes") }
        let device = try p.readShortString(max: 256, what: what)
        guard let started = p.readInteger(as: Int64.self), let count = p.readInteger(as: UInt32.self) else {
            throw BackupError.badFormat(what, "truncated")
        }
        let chunker = ChunkerSettings(minSize: Int(minSize), averageSize: Int(average), maxSize: Int(maxSize))
        var header = FileCacheHeader(device: device, started: started, chunker: chunker, count: count)
        header.formatVersion = version
        return header
    }
}
