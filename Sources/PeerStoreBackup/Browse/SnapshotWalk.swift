import ChordRing

/// Walks a snapshot's entries depth first, each folder before what is in it, names in byte order, reading one tree
/// at a time as the walk enters it: memory holds the trees of the folders from the start down to the current one.
public struct SnapshotWalk: Sendable {
    /// One entry and its path from the backed-up folder.
    public struct Item: Sendable, Equatable {
        public let path: [FileName]
        public let entry: TreeEntry

        public init(path: [FileName], entry: TreeEntry) {
            self.path = path
            self.entry = entry
        }
    }

    public let catalog: SnapshotCatalog

    public init(catalog: SnapshotCatalog) {
        self.catalog = catalog
    }

    /// Visits everything below the tree `root` (whose path is `path`).
    public func walk(tree root: Identifier, path: [FileName] = [], visit: (Item) throws -> Void) async throws {
        let first = try await catalog.tree(root, what: path.isEmpty ? "the root folder" : "folder \(path.shown)")
        var stack: [(path: [FileName], entries: ArraySlice<TreeEntry>)] = [(path, first.entries[...])]
        while !stack.isEmpty {
            guard let entry = stack[stack.count - 1].entries.popFirst() else {
                stack.removeLast()
                continue
            }
            let item = Item(path: stack[stack.count - 1].path + [entry.name], entry: entry)
            try visit(item)
            if case .subtree(let id) = entry.content {
                stack.append((item.path, try await catalog.tree(id, what: "folder \(item.path.shown)").entries[...]))
            }
        }
    }

    /// Visits what `filename` names in `snapshot` (nil or the backed-up folder: everything): the entry itself and,
    /// for a folder, everything below it.
    public func walk(_ snapshot: Snapshot, under filename: String?, named: String = "the latest snapshot",
                     visit: (Item) throws -> Void) async throws {
        guard let filename, !SnapshotPath.isRoot(filename, rootPath: snapshot.rootPath) else {
            return try await walk(tree: snapshot.rootTree, visit: visit)
        }
        let (path, entry) = try await catalog.locate(filename, in: snapshot, named: named)
        try visit(Item(path: path, entry: entry))
        if case .subtree(let id) = entry.content { try await walk(tree: id, path: path, visit: visit) }
    }
}
