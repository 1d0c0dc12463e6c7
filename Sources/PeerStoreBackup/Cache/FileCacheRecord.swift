import ChordRing
import NIOCore

/// The binary form of one cache entry after its path (version 2):
/// `size u64 | mtime i64 + u32 ns | ctime i64 + u32 ns | inode u64 | device u64 | tag u8 | content`, content being
/// nothing (0, an empty file), inline chunk refs (1: `count u8 | refs`) or a manifest (2: `id 32 | session key 32 |
/// chunks u32 | chunk ids 32 each`, chunks 0xFFFFFFFF: not known, no ids). About 130 bytes for a small file, 125 + 32 a
/// chunk for a big one. Version 1 (the first builds) has no chunk ids after a manifest.
extension FileCacheEntry {
    /// The most chunk ids a manifest entry may list (a 64 GiB file at the smallest average chunk).
    static let maxManifestChunks = 1 << 20
    /// The chunk count that says the list is not known.
    static let unknownChunks = UInt32.max

    func encode(into out: inout ByteBuffer) {
        out.writeInteger(size)
        out.writeInteger(mtime.seconds)
        out.writeInteger(mtime.nanoseconds)
        out.writeInteger(ctime.seconds)
        out.writeInteger(ctime.nanoseconds)
        out.writeInteger(inode)
        out.writeInteger(device)
        content.encode(into: &out)  // only file contents (tags 0-2) are ever cached
        if case .manifest = content {
            // Not known, or more than a reader takes: the next backup learns them from the manifest.
            guard let ids = manifestChunks, ids.count <= Self.maxManifestChunks else {
                out.writeInteger(Self.unknownChunks)
                return
            }
            out.writeInteger(UInt32(ids.count))
            for id in ids { out.writeBytes(id.bytes) }
        }
    }

    /// Reads one entry and checks that it is one the backup could have made (an empty file has no content, inline
    /// chunks add up to the size, a manifest belongs to a non-empty file).
    static func decode(from p: inout ByteBuffer, version: UInt8 = FileCacheHeader.version) throws -> FileCacheEntry {
        let what = "file cache entry"
        guard let size = p.readInteger(as: UInt64.self),
            let mSec = p.readInteger(as: Int64.self), let mNsec = p.readInteger(as: UInt32.self), mNsec < 1_000_000_000,
            let cSec = p.readInteger(as: Int64.self), let cNsec = p.readInteger(as: UInt32.self), cNsec < 1_000_000_000,
            let inode = p.readInteger(as: UInt64.self), let device = p.readInteger(as: UInt64.self),
            let tag = p.readInteger(as: UInt8.self)
        else { throw BackupError.badFormat(what, "truncated") }
        let content = try TreeEntry.Content.decodeFile(tag: tag, size: size, from: &p, what: what)
        var chunks: [Identifier]?
        if case .manifest = content, version >= 2 {
            guard let count = p.readInteger(as: UInt32.self),
                count == Self.unknownChunks || (count <= Self.maxManifestChunks && p.readableBytes >= Int(count) * 32)
            else { throw BackupError.badFormat(what, "bad chunk list") }
            if count != Self.unknownChunks { chunks = (0..<Int(count)).map { _ in Identifier(bytes: p.readBytes(length: 32)!)! } }
        }
        return FileCacheEntry(
            size: size, mtime: Timestamp(seconds: mSec, nanoseconds: mNsec), ctime: Timestamp(seconds: cSec, nanoseconds: cNsec),
            inode: inode, device: device, content: content, manifestChunks: chunks)
    }
}
