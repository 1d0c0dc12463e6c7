/// What a scan sees of one path and what a sync carries over: kind, content (as in a tree entry: chunk refs or a
/// manifest for a file, a link target for a symlink, nothing for a folder or an empty file), size, mode and mtime.
public struct FileMeta: Equatable, Sendable {
    public var kind: TreeEntry.Kind
    public var content: TreeEntry.Content
    public var size: UInt64
    public var mode: UInt32
    public var mtime: Timestamp

    public init(kind: TreeEntry.Kind, content: TreeEntry.Content, size: UInt64, mode: UInt32, mtime: Timestamp) {
        self.kind = kind
        self.content = content
        self.size = size
        self.mode = mode
        self.mtime = mtime
    }

    /// Whether `other` is the same as far as syncing goes: a file by content, size, mode and mtime; a folder by mode
    /// (its mtime moves with every change inside, not a change of its own); a symlink by its target.
    public func isSame(as other: FileMeta) -> Bool {
        guard kind == other.kind else { return false }
        switch kind {
        case .file: return content == other.content && size == other.size && mode == other.mode && mtime == other.mtime
        case .directory: return mode == other.mode
        case .symlink: return content == other.content
        }
    }
}

extension FileMeta {
    /// What a tree entry says of its path (a folder without its subtree, which the sync state does not keep).
    public init(_ entry: TreeEntry) {
        self.init(kind: entry.kind, content: entry.kind == .directory ? .none : entry.content,
                  size: entry.kind == .directory ? 0 : entry.size, mode: entry.mode, mtime: entry.mtime)
    }
}
