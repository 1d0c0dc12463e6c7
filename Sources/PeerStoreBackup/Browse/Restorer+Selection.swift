import Foundation

extension Restorer {
    /// What `restore` writes: with no `filename` (or the backed-up folder itself) the whole snapshot; a folder's path:
    /// that folder, its contents straight into `destination`; a file's path: that file, as `getfile` would. `include`
    /// keeps only the paths its patterns match and the folders leading to them. A path not in the snapshot is an error
    /// before anything is written.
    public func restore(_ filename: String?, from snapshot: Snapshot, include: IncludeRules, to destination: String,
                        force: Bool) async throws -> RestoreSummary {
        guard let filename,
            !SnapshotPath.isRoot(filename, rootPath: snapshot.rootPath)
        else {
            return try await restoreAll(snapshot, to: destination, force: force, selection: RestoreSelection(include: include))
        }
        let (path, entry) = try await find(filename, in: snapshot)
        switch entry.content {
        case .subtree(let tree):
            var folder = snapshot
            (folder.rootTree, folder.rootMode, folder.rootMtime) = (tree, entry.mode, entry.mtime)
            return try await restoreAll(folder, to: destination, force: force,
                                        selection: RestoreSelection(folder: path, include: include), fullRoot: snapshot.rootTree)
        case .linkTarget:
            throw BackupError(.notInSnapshot, "\(filename) is a link in the snapshot: give the path of the file or folder it points to")
        default:
            guard include.keepsEverything else {
                throw BackupError(.usage, "\(filename) is a file, and -include picks paths in a folder: leave out -include, or give a folder as -filename")
            }
            return try await restoreEntry(try await fileEntry(filename, in: snapshot).entry, shown: filename, to: destination, force: force)
        }
    }
}
