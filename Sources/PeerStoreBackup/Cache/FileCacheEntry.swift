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

    public init(size: UInt64, mtime: Timestamp, ctime: Timestamp, inode: UInt64, device: UInt64, content: TreeEntry.Content) {
        self.size = size
        self.mtime = mtime
        self.ctime = ctime
        self.inode = inode
        self.device = device
        self.content = content
    }

    /// The entry for a file `info` describes, whose content is `content`.
    public init(info: FileInfo, content: TreeEntry.Content) {
        self.init(size: info.size, mtime: info.mtime, ctime: info.ctime, inode: info.inode, device: info.device, content: content)
    }

    /// True when `info` has the size, mtime, ctime, inode and device this entry was made with.
    public func matches(_ info: FileInfo) -> Bool {
        size == info.size && mtime == info.mtime && ctime == info.ctime && inode == info.inode && device == info.device
    }

    /// The blocks the content needs on the ring: the manifest (not its chunks), or the inline chunks.
    public var blockIDs: [Identifier] {
        switch content {
        case .inline(let refs): refs.map(\.blockID)
        case .manifest(let id, _): [id]
        default: []
        }
    }
}
