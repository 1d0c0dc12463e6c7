import ChordRing

/// What the file cache remembers about one regular file: the metadata that tells whether it changed since it was last
/// read, and the content its tree entry got then (inline chunk refs, a manifest id and session key, or nothing for an
/// empty file).
public struct FileCacheEntry: Equatable, Sendable {
    public var size: UInt64
    public var mtime: Timestamp
    public var ctime: Timestamp
    public var inode: UInt64
    public var device: UInt64
    /// `.none`, `.inline` or `.manifest`: what reading the file gave.
    public var content: TreeEntry.Content
    /// For a manifest, its chunks' block ids, so that a no-change backup confirms (and leases) them without fetching
    /// the manifest; nil when not known (a version 1 cache, or not a manifest).
    public var manifestChunks: [Identifier]?

    public init(size: UInt64, mtime: Timestamp, ctime: Timestamp, inode: UInt64, device: UInt64, content: TreeEntry.Content,
                manifestChunks: [Identifier]? = nil) {
        self.size = size
        self.mtime = mtime
        self.ctime = ctime
        self.inode = inode
        self.device = device
        self.content = content
        if case .manifest = content { self.manifestChunks = manifestChunks }
    }

    /// The entry for a file `info` describes, whose content is `content` (with `chunks`, those a manifest names).
    public init(info: FileInfo, content: TreeEntry.Content, chunks: [ChunkRef] = []) {
        self.init(size: info.size, mtime: info.mtime, ctime: info.ctime, inode: info.inode, device: info.device, content: content,
                  manifestChunks: chunks.map(\.blockID))
    }

    /// True when `info` has the size, mtime, ctime, inode and device this entry was made with.
    public func matches(_ info: FileInfo) -> Bool {
        size == info.size && mtime == info.mtime && ctime == info.ctime && inode == info.inode && device == info.device
    }

    /// The blocks the content needs on the ring: the inline chunks, or the manifest and (when known) its chunks.
    public var blockIDs: [Identifier] {
        switch content {
        case .inline(let refs): refs.map(\.blockID)
        case .manifest(let id, _): [id] + (manifestChunks ?? [])
        default: []
        }
    }
}
