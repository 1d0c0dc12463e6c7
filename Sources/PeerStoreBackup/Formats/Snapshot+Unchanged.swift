extension Snapshot {
    /// Whether this snapshot stores the very folder `other` stores: the same path, root mode, root mtime and root tree
    /// (trees are sealed deterministically, so the same tree id is the same contents, names and metadata below). A
    /// backup with `-skipIfUnchanged` whose snapshot would be the same as the head's writes none (as restic's
    /// `--skip-if-unchanged`); times, totals and the parent do not count.
    public func storesSameFolder(as other: Snapshot) -> Bool {
        rootTree == other.rootTree && rootMode == other.rootMode && rootMtime == other.rootMtime && rootPath == other.rootPath
    }
}
