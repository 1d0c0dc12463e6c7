import ChordRing
import Foundation

extension SnapshotCatalog {
    /// The entry `filename` names in `snapshot` (absolute as backed up, or relative to the backed-up folder; a name
    /// that is not UTF-8 typed as it is printed, its other bytes as `\xNN`), with its components from the backed-up
    /// folder. Not there: a one-line error naming `named` ("the latest snapshot", "snapshot 1a2b3c4d").
    public func locate(_ filename: String, in snapshot: Snapshot, named: String = "the latest snapshot") async throws
        -> (path: [FileName], entry: TreeEntry)
    {
        let candidates = SnapshotPath.candidates(
            for: filename, rootPath: snapshot.rootPath, currentDirectory: FileManager.default.currentDirectoryPath)
        for components in candidates {
            let typed = components.map { FileName($0) }
            if let entry = try await entry(at: typed, from: snapshot.rootTree) { return (typed, entry) }
            let unescaped = components.map { FileName(bytes: EscapedBytes.parse($0) ?? Array($0.utf8)) }
            if unescaped != typed, let entry = try await entry(at: unescaped, from: snapshot.rootTree) {
                return (unescaped, entry)
            }
        }
        throw BackupError(.notInSnapshot, "\(filename) is not in \(named) of \(snapshot.rootPath): see -operation ls")
    }

    /// The entry at `components` below the tree `root`, nil if there is none; one tree read per component.
    public func entry(at components: [FileName], from root: Identifier) async throws -> TreeEntry? {
        var treeID = root
        for (i, name) in components.enumerated() {
            let tree = try await tree(treeID, what: "folder \(Array(components.prefix(i)).shown)")
            guard let entry = tree.entry(named: name) else { return nil }
            if i == components.count - 1 { return entry }
            guard case .subtree(let next) = entry.content else { return nil }
            treeID = next
        }
        return nil
    }
}
