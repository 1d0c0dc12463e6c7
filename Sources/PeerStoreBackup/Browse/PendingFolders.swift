#if canImport(Glibc)
import Glibc
#endif

/// The folders a restore with `-include` reads but creates only once something in them is restored, so a pattern
/// leaves no empty folders behind. Each is remembered with its entry (for its mode and times), its parent and its depth.
struct PendingFolders {
    struct Pending {
        let entry: TreeEntry
        let parent: LocalPath
        let depth: Int
    }

    private var pending: [LocalPath: Pending] = [:]

    mutating func add(_ path: LocalPath, entry: TreeEntry, parent: LocalPath, depth: Int) {
        pending[path] = Pending(entry: entry, parent: parent, depth: depth)
    }

    /// Creates `dir` and the pending folders above it, top first; returns those it created. A folder not pending
    /// (restored whole, or created already) is left as it is.
    mutating func create(_ dir: LocalPath) throws -> [(entry: TreeEntry, path: LocalPath, depth: Int)] {
        var chain: [(entry: TreeEntry, path: LocalPath, depth: Int)] = []
        var next = dir
        while let p = pending.removeValue(forKey: next) {
            chain.append((p.entry, next, p.depth))
            next = p.parent
        }
        for folder in chain.reversed() { try RestoreFolder.make(folder.path) }
        return chain.reversed()
    }
}
