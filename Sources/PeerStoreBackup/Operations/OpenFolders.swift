/// The folders of a backup whose trees still wait for entries, and where each one's entry goes once its tree is sealed.
///
/// The walk goes on to the next folder while a folder's last files are still being read: a folder is done when the
/// walk has left it (`close`) and every entry it waits for (a file being read, a subfolder not yet done) has come in
/// (`fill`). Pure bookkeeping; the runner seals the done folder's tree, sends it and fills the parent's slot with it.
/// Entries keep their listing's order whatever order they come in, so trees are the same as with a walk that waits.
struct OpenFolders {
    /// An entry's place: its folder and its index in the folder's listing.
    struct Slot: Hashable, Sendable {
        let folder: Int
        let index: Int
    }

    /// A folder with every entry in: its tree can be sealed.
    struct Done {
        let relative: [FileName]
        /// The entries in listing order, without those that failed or were left out.
        let entries: [TreeEntry]
        /// Where the folder's own entry goes (nil: the backup's root).
        let parent: Slot?
        /// The folder's `lstat` (nil for the root), for its entry in the parent.
        let info: FileInfo?
    }

    private struct Folder {
        var slots: [TreeEntry?]
        /// Entries still to come, plus one while the walk is in the folder.
        var waiting = 1
        let relative: [FileName]
        let parent: Slot?
        let info: FileInfo?
    }

    private var folders: [Int: Folder] = [:]
    private var nextID = 0

    /// Folders open: those the walk is in and those waiting for entries.
    var count: Int { folders.count }

    /// Opens a folder of `entries` entries, held open by the walk until `close`; its parent then waits for it.
    mutating func open(entries: Int, relative: [FileName], parent: Slot?, info: FileInfo?) -> Int {
        let id = nextID
        nextID += 1
        if let parent { folders[parent.folder]!.waiting += 1 }
        folders[id] = Folder(slots: [TreeEntry?](repeating: nil, count: entries), relative: relative, parent: parent, info: info)
        return id
    }

    /// An entry the walk has at once (a cached file, a link), in a folder the walk is in.
    mutating func set(_ slot: Slot, _ entry: TreeEntry?) {
        folders[slot.folder]!.slots[slot.index] = entry
    }

    /// The entry at `slot` comes later, through `fill` (a file being read).
    mutating func expect(_ slot: Slot) {
        folders[slot.folder]!.waiting += 1
    }

    /// An awaited entry came in (nil: it failed, and the tree goes without it); the folder if it was the last.
    mutating func fill(_ slot: Slot, _ entry: TreeEntry?) -> Done? {
        folders[slot.folder]!.slots[slot.index] = entry
        return release(slot.folder)
    }

    /// The walk has left the folder; the folder if nothing else is awaited.
    mutating func close(_ folder: Int) -> Done? {
        release(folder)
    }

    private mutating func release(_ id: Int) -> Done? {
        folders[id]!.waiting -= 1
        guard folders[id]!.waiting == 0, let folder = folders.removeValue(forKey: id) else { return nil }
        return Done(relative: folder.relative, entries: folder.slots.compactMap { $0 }, parent: folder.parent, info: folder.info)
    }
}
