import ChordRing

/// The comparison of one folder's entries in two snapshots (both sorted by name, as trees keep them): which names were
/// added, removed or changed, and which sub-folders must be compared below. A sub-folder whose tree id is the same on
/// both sides holds the same things (trees are sealed deterministically) and is not read at all.
public enum TreeDiff {
    public enum Change: String, Sendable, Equatable {
        case added = "+"
        case removed = "-"
        case changed = "M"
    }

    /// One name that differs: its change (nil for a folder that only differs below), its entries on each side, and
    /// the trees to compare below it (nil on a side where it is not a folder).
    public struct Item: Sendable, Equatable {
        public let name: FileName
        public let change: Change?
        public let old: TreeEntry?
        public let new: TreeEntry?

        /// The sub-trees to compare below: set when either side is a folder and the trees are not the same.
        public var below: (old: Identifier?, new: Identifier?)? {
            let (a, b) = (old.flatMap(Self.subtree), new.flatMap(Self.subtree))
            return (a == nil && b == nil) || a == b ? nil : (a, b)
        }

        static func subtree(_ e: TreeEntry) -> Identifier? {
            if case .subtree(let id) = e.content { id } else { nil }
        }

        public static func == (a: Item, b: Item) -> Bool {
            a.name == b.name && a.change == b.change && a.old == b.old && a.new == b.new
        }
    }

    /// What differs between `old` and `new` (each sorted by name), in name order.
    public static func compare(_ old: [TreeEntry], _ new: [TreeEntry]) -> [Item] {
        var out: [Item] = []
        var (i, j) = (0, 0)
        while i < old.count || j < new.count {
            if j == new.count || (i < old.count && old[i].name < new[j].name) {
                out.append(Item(name: old[i].name, change: .removed, old: old[i], new: nil))
                i += 1
            } else if i == old.count || new[j].name < old[i].name {
                out.append(Item(name: new[j].name, change: .added, old: nil, new: new[j]))
                j += 1
            } else {
                let item = Item(name: old[i].name, change: changed(old[i], new[j]) ? .changed : nil, old: old[i], new: new[j])
                if item.change != nil || item.below != nil { out.append(item) }
                (i, j) = (i + 1, j + 1)
            }
        }
        return out
    }

    /// Whether an entry of one name changed: its kind, mode or owner; for a file its content, size or mtime; for a
    /// link its target or mtime. A folder's mtime is not a change (it moves with what is in it), nor its contents
    /// (they are compared below it).
    public static func changed(_ a: TreeEntry, _ b: TreeEntry) -> Bool {
        guard a.kind == b.kind, a.mode == b.mode, a.uid == b.uid, a.gid == b.gid else { return true }
        switch a.kind {
        case .directory: return false
        case .file, .symlink: return a.content != b.content || a.size != b.size || a.mtime != b.mtime
        }
    }
}
