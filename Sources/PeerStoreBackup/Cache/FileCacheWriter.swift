import NIOCore

/// Builds a new file cache while a backup walks: one record per regular file, in the order files are done (the walk's,
/// but for files whose reads finish later), each path stored as the length it shares with the previous path plus the
/// rest (a folder's files share everything but their names). The cache is read through an index, so order only costs
/// a few bytes.
/// Record: `shared u16 | rest (u16 + bytes) | entry` (see `FileCacheEntry`). Memory: the encoded records only.
public struct FileCacheWriter: Sendable {
    private var records = ByteBuffer()
    private var last: [UInt8] = []
    public private(set) var count = 0

    public init() {}

    /// Adds the entry of the file at `path` (absolute).
    public mutating func add(path: LocalPath, _ entry: FileCacheEntry) {
        let bytes = path.bytes
        var shared = 0
        let limit = min(bytes.count, last.count, Int(UInt16.max))
        while shared < limit && bytes[shared] == last[shared] { shared += 1 }
        guard bytes.count - shared <= Int(UInt16.max), count < Int(UInt32.max) else { return }  // not cached: read next time
        records.writeInteger(UInt16(shared))
        records.writeShortBytes(Array(bytes[shared...]))
        entry.encode(into: &records)
        last = bytes
        count += 1
    }

    /// The cache sealed (`SealedObject` kind `fileCache`) in one allocation: header and records are copied straight
    /// into the sealed buffer and encrypted there, so the records are held once more, not three times.
    public func sealed(device: String, started: Int64, chunker: ChunkerSettings, key: [UInt8], nonce: [UInt8]) throws -> [UInt8] {
        var header = ByteBuffer()
        FileCacheHeader(device: device, started: started, chunker: chunker, count: UInt32(count)).encode(into: &header)
        let headerCount = header.readableBytes
        return try SealedObject.seal(plaintextCount: headerCount + records.readableBytes, kind: .fileCache, key: key, nonce: nonce) { out in
            header.withUnsafeReadableBytes { out.copyMemory(from: $0) }
            records.withUnsafeReadableBytes { UnsafeMutableRawBufferPointer(rebasing: out[headerCount...]).copyMemory(from: $0) }
        }
    }

    /// The plaintext: header, then the records.
    public func finish(device: String, started: Int64, chunker: ChunkerSettings) -> [UInt8] {
        var out = ByteBuffer()
        out.reserveCapacity(records.readableBytes + 64)
        FileCacheHeader(device: device, started: started, chunker: chunker, count: UInt32(count)).encode(into: &out)
        out.writeImmutableBuffer(records)
        return Array(out.readableBytesView)
    }
}
