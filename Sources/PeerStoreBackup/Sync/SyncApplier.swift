import Foundation

/// Carries out a sync plan in the local folder. Nothing is replaced or removed that changed since the scan: just
/// before each step (and, for a fetched file, again just before its temp file is renamed into place) the path's size,
/// mtime, kind and inode are checked against what the scan saw; a path that moved on is left for the next round. A
/// step that fails is reported and the rest goes on; the failed paths keep their local record in the state published.
struct SyncApplier {
    let root: LocalPath
    /// What the disk holds as far as this round knows: the scan, updated with each step done.
    var scan: [SyncPath: FileMeta]
    let restorer: Restorer

    struct Result {
        var failed: Set<SyncPath> = []
        var problems: [String] = []
        var downloaded = 0
        var bytesDownloaded: UInt64 = 0
        var deleted = 0
        var renamed = 0
    }

    func local(_ path: SyncPath) -> LocalPath { path.components.reduce(root) { $0.appending($1) } }

    /// Whether the path is still as the scan saw it (absent if it saw nothing), and, if given, still that inode.
    func unchanged(_ path: SyncPath, inode: UInt64? = nil) -> Bool {
        let now = try? FileInfo.lstat(local(path))
        guard let seen = scan[path] else { return now == nil }
        guard let now, inode == nil || now.inode == inode else { return false }
        switch seen.kind {
        case .file: return now.kind == .file && now.size == seen.size && now.mtime == seen.mtime
        case .directory: return now.kind == .directory
        case .symlink: return now.kind == .symlink
        }
    }

    mutating func apply(_ plan: SyncPlan) async -> Result {
        var result = Result()
        var folders: [(SyncPath, FileRecord)] = []
        for action in plan.actions {
            do {
                switch action {
                case .rename(let from, let to):
                    guard unchanged(from), unchanged(to) else { throw changed(from) }
                    try makeParents(of: to)
                    guard Self.move(local(from), local(to)) else { throw FileSystemError.last("cannot rename", local(from)) }
                    scan[to] = scan.removeValue(forKey: from)
                    result.renamed += 1
                case .delete(let path):
                    guard unchanged(path) else { throw changed(path) }
                    let target = local(path)
                    let done = scan[path]?.kind == .directory ? target.withCString { rmdir($0) } : target.withCString { unlink($0) }
                    guard done == 0 else { throw FileSystemError.last("cannot remove", target) }
                    scan[path] = nil
                    result.deleted += 1
                case .download(let path, let record):
                    try makeParents(of: path)
                    try await write(path, record)
                    scan[path] = record.meta
                    if record.meta.kind == .directory { folders.append((path, record)) }
                    if record.meta.kind == .file { result.bytesDownloaded += record.meta.size }
                    result.downloaded += 1
                }
            } catch {
                for path in [action].flatMap({ SyncPlan(actions: [$0]).touchedPaths }) { result.failed.insert(path) }
                result.problems.append("\(SyncPlan(actions: [action]).touchedPaths[0]): \(Self.describe(error))")
            }
        }
        // Folders' mtimes last, deepest first: writing inside a folder moves its mtime.
        for (path, record) in folders.reversed() {
            try? applyMetadata(local(path), mode: record.meta.mode, mtime: record.meta.mtime, uid: nil, gid: nil)
        }
        return result
    }

    private func write(_ path: SyncPath, _ record: FileRecord) async throws {
        let target = local(path)
        let meta = record.meta
        switch meta.kind {
        case .directory:
            let now = try? FileInfo.lstat(target)
            if now?.kind == .directory { return try applyMetadata(target, mode: meta.mode, mtime: meta.mtime, uid: nil, gid: nil) }
            guard unchanged(path), now == nil else { throw changed(path) }
            guard target.withCString({ mkdir($0, mode_t(meta.mode & 0o7777)) }) == 0 else { throw FileSystemError.last("cannot create folder", target) }
        case .symlink:
            guard case .linkTarget(let link) = meta.content, unchanged(path) else { throw changed(path) }
            let temp = TempName.path(for: target)
            guard link.withCString({ l in temp.withCString { symlink(l, $0) } }) == 0 else { throw FileSystemError.last("cannot create link", target) }
            try? applyMetadata(temp, mode: nil, mtime: meta.mtime, uid: nil, gid: nil)
            guard unchanged(path), Self.move(temp, target) else {
                _ = temp.withCString { unlink($0) }
                throw changed(path)
            }
        case .file:
            guard unchanged(path) else { throw changed(path) }
            let inode = try? FileInfo.lstat(target).inode
            let entry = TreeEntry(name: path.name, kind: .file, mode: meta.mode, mtime: meta.mtime, uid: geteuid(), gid: getegid(),
                                  size: meta.size, content: meta.content)
            let check: @Sendable () -> Bool = { [self] in unchanged(path, inode: inode) }
            try await restorer.writeFile(entry, to: target, display: path.description, replaceIf: check)
        }
    }

    /// Creates missing parent folders (0755; a synced folder's own record sets its mode when it comes).
    private func makeParents(of path: SyncPath) throws {
        var current = root
        for name in path.components.dropLast() {
            current = current.appending(name)
            if (try? FileInfo.lstat(current))?.kind == .directory { continue }
            guard current.withCString({ mkdir($0, 0o755) }) == 0 else { throw FileSystemError.last("cannot create folder", current) }
        }
    }

    private func changed(_: SyncPath) -> FileSystemError {
        FileSystemError(description: "changed on disk during this round; left for the next round")
    }

    static func move(_ from: LocalPath, _ to: LocalPath) -> Bool {
        from.withCString { f in to.withCString { rename(f, $0) } } == 0
    }

    static func describe(_ error: Error) -> String {
        if let e = error as? FileSystemError { return e.description }
        if let e = error as? BackupError { return e.message }
        return "\(error)"
    }
}
