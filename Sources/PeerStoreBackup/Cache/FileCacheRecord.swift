import NIOCore

/// The binary form of one cache entry after its path (version 1):
/// `size u64 | mtime i64 + u32 ns | ctime i64 + u32 ns | inode u64 | device u64 | tag u8 | content`, content being
/// nothing (0, an empty file), inline chunk refs (1: `count u8 | refs`) or a manifest (2: `id 32 | session key 32`).
/// About 130 bytes for a small file, 121 for a big one.
extension FileCacheEntry {
    func encode(into out: inout ByteBuffer) {
        out.writeInteger(size)
        out.writeInteger(mtime.seconds)
        out.writeInteger(mtime.nanoseconds)
        out.writeInteger(ctime.seconds)
        out.writeInteger(ctime.nanoseconds)
        out.writeInteger(inode)
        out.writeInteger(device)
        content.encode(into: &out)  // only file contents (tags 0-2) are ever cached
    }

    /// Reads one entry and checks that it is one the backup could have made (an empty file has no content, inline
    /// chunks add up to the size, a manifest belongs to a non-empty file).
    static func decode(from p: inout ByteBuffer) throws -> FileCacheEntry {
        let what = "file cache entry"
        guard let size = p.readInteger(as: UInt64.self),
            let mSec = p.readInteger(as: Int64.self), let mNsec = p.readInteger(as: UInt32.self), mNsec < 1_000_000_000,
            let cSec = p.readInteger(as: Int64.self), let cNsec = p.readInteger(as: UInt32.self), cNsec < 1_000_000_000,
            let inode = p.readInteger(as: UInt64.self), let device = p.readInteger(as: UInt64.self),
            let tag = p.readInteger(as: UInt8.self)
        else { throw BackupError.badFormat(what, "truncated") }
        let content = try TreeEntry.Content.decodeFile(tag: tag, size: size, from: &p, what: what)
        return FileCacheEntry(
            size: size, mtime: Timestamp(seconds: mSec, nanoseconds: mNsec), ctime: Timestamp(seconds: cSec, nanoseconds: cNsec),
            inode: inode, device: device, content: content)
    }
}
