import ChordRing

/// What a backup did, for the line it prints and for tests.
public struct BackupSummary: Sendable {
    public var snapshotID: Identifier
    /// True when `-skipIfUnchanged` found the folder as the head's snapshot stores it: `snapshotID` is that snapshot,
    /// and no snapshot was written, no head moved.
    public var unchanged = false
    /// The snapshot's root tree (the same id for the same tree: a sync round compares it with its last one).
    public var rootTree: Identifier = .zero
    public var files = 0
    public var directories = 0
    public var symlinks = 0
    /// Paths left out by -exclude patterns and .peerstoreignore files (an excluded folder counts once).
    public var excluded = 0
    /// The size of every file in the snapshot, read or not.
    public var bytes: UInt64 = 0
    /// Files read (and bytes read from them) this run; the others came from the file cache unread.
    public var filesRead = 0
    public var bytesRead: UInt64 = 0
    public var filesUnchanged = 0
    /// Chunks of changed files found unchanged in the file's previous version, and so not sealed again.
    public var chunksReused = 0
    /// Blocks leased again before the head moved, because the backup ran long (0: none needed).
    public var leasesRenewed = 0
    public var blocksSent = 0
    public var bytesSent = 0
    public var blocksOffered = 0
    /// Paths that could not be read, with the reason; the backup completed without them.
    public var skipped: [String] = []
    /// Files that changed during each of their reads (see `FileReader`), escaped as shown: stored as last read, which
    /// may be a state the file never had as a whole.
    public var changedWhileRead: [String] = []
    /// Things the user may want to know that did not stop the backup (a file cache that could not be used).
    public var notices: [String] = []
    public var seconds: Double = 0
    /// Every entry stored, by path, when the run was asked for it (a sync's scan).
    public var scanned: [SyncPath: FileMeta]?

    public init(snapshotID: Identifier) {
        self.snapshotID = snapshotID
    }
}
