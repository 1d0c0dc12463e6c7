import ChordRing

/// `diff`: what changed from one snapshot's tree to another's, as `+` (added), `-` (removed) and `M` (changed) lines
/// in name order, each folder before what is in it. Folders with the same tree id on both sides are skipped without
/// being read (see `TreeDiff`); memory holds the two trees of each folder from the root down to the current one.
public struct SnapshotDiff: Sendable {
    public struct Line: Sendable, Equatable {
        public let change: TreeDiff.Change
        public let path: [FileName]
        /// The entry's kind (the new one's, except for a removal).
        public let kind: TreeEntry.Kind
        /// The entry as it is now (nil for a removal) and as it was (nil for an addition).
        public let new: TreeEntry?
        public let old: TreeEntry?
    }

    /// Counts per change and kind, and the bytes of the files added and removed.
    public struct Summary: Sendable, Equatable {
        public var counts: [TreeDiff.Change: [TreeEntry.Kind: Int]] = [:]
        public var bytesAdded: UInt64 = 0
        public var bytesRemoved: UInt64 = 0

        public init() {}

        public func count(_ change: TreeDiff.Change, _ kind: TreeEntry.Kind) -> Int { counts[change]?[kind] ?? 0 }

        mutating func add(_ line: Line) {
            counts[line.change, default: [:]][line.kind, default: 0] += 1
            guard line.kind == .file else { return }
            if line.change == .added { bytesAdded += line.new?.size ?? 0 }
            if line.change == .removed { bytesRemoved += line.old?.size ?? 0 }
        }
    }

    let readTree: @Sendable (Identifier, String) async throws -> Tree

    /// `fetchTree(id, what)`: the tree with that id (`what` names it in errors).
    public init(fetchTree: @escaping @Sendable (Identifier, String) async throws -> Tree) {
        readTree = fetchTree
    }

    public init(catalog: SnapshotCatalog) {
        self.init { id, what in try await catalog.tree(id, what: what) }
    }

    /// Compares the trees `old` and `new` (two snapshots' root trees), calling `visit` for every line.
    public func compare(old: Identifier, new: Identifier, visit: (Line) throws -> Void) async throws -> Summary {
        var summary = Summary()
        try await compare(old, new, path: [], summary: &summary, visit: visit)
        return summary
    }

    private func compare(_ old: Identifier?, _ new: Identifier?, path: [FileName], summary: inout Summary,
                         visit: (Line) throws -> Void) async throws {
        guard old != new else { return }
        let what = path.isEmpty ? "the root folder" : "folder \(path.shown)"
        var oldEntries: [TreeEntry] = []
        var newEntries: [TreeEntry] = []
        if let old { oldEntries = try await readTree(old, what).entries }
        if let new { newEntries = try await readTree(new, what).entries }
        for item in TreeDiff.compare(oldEntries, newEntries) {
            let itemPath = path + [item.name]
            if let change = item.change {
                let line = Line(change: change, path: itemPath, kind: (item.new ?? item.old)!.kind, new: item.new, old: item.old)
                summary.add(line)
                try visit(line)
            }
            if let below = item.below { try await compare(below.old, below.new, path: itemPath, summary: &summary, visit: visit) }
        }
    }
}
