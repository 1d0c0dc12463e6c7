import ChordRing
import Foundation
import Logging
import PeerStoreConcurrency
import PeerStoreCrypto
import PeerStoreWire

/// Restores a whole snapshot or one file from it. Every block is verified (see `BlockFetcher`) before a byte is
/// written. A whole restore goes into a hidden folder beside the destination, renamed into place at the end; one file
/// (and every file of a restore into a non-empty folder with -force) goes through a temp name renamed when whole. What
/// an interrupted restore left of these (`RestoreDebris`) is removed by the next restore into the same place.
public final class Restorer: Sendable {
    public let catalog: SnapshotCatalog
    let logger: Logger
    /// Chunks of one file in flight at once (a sliding window; they are written in order).
    let fetchWindow: Int
    /// Files restored at once; small files (one chunk of at most `BlockBatch.smallBlock`) count as a fraction of one,
    /// `smallFilesPerFile` of them to a file, so that enough of their reads are out at once to go in big batches.
    let parallelFiles: Int
    static let smallFilesPerFile = 8
    /// Small files of one folder restored by one task: their reads go out together (in batches) and their files are
    /// created one after another, so that two threads seldom wait on one folder's lock to create files in it.
    static let smallFilesPerGroup = 128
    /// How far the walk may run ahead of the file restorers, in the weight of `FileBatch`: files handed over and not yet
    /// written (about 0.7 KB each while they wait), so that memory does not grow with the snapshot's file count.
    static let filesAhead = 4096
    /// Trees the walk fetches and goes through at a time, out of one level of folders.
    static let treesAtOnce = 64
    let restoreOwners: Bool
    /// Counters for a progress line, if someone shows one.
    let progress: TransferProgress?
    /// How errors name the snapshot restored from ("the latest snapshot", "snapshot 1a2b3c4d").
    public let snapshotName: String

    public init(client: any RingAccess, identity: Identity, logger: Logger, fetchWindow: Int = 6, parallelFiles: Int = 16,
                progress: TransferProgress? = nil, heads: HeadMemory? = nil, snapshotName: String = "the latest snapshot") {
        self.progress = progress
        self.snapshotName = snapshotName
        self.catalog = SnapshotCatalog(client: client, identity: identity, heads: heads)
        self.logger = logger
        self.fetchWindow = fetchWindow
        self.parallelFiles = parallelFiles
        self.restoreOwners = geteuid() == 0
    }

    // MARK: One file

    /// Restores `filename` (as it was backed up, absolute or relative to the backed-up folder) to `destination`
    /// (a file path, or an existing folder to put it in). Another name of a hard-linked file gets the file's content.
    public func restoreFile(_ filename: String, from snapshot: Snapshot, to destination: String, force: Bool) async throws -> RestoreSummary {
        try await restoreEntry(try await fileEntry(filename, in: snapshot).entry, shown: filename, to: destination, force: force)
    }

    /// The entry of the file `filename` names in `snapshot` (the path rules of `getfile`), with its path from the
    /// backed-up folder; another name of a hard-linked file gets the file's content and size. A folder or a link is
    /// refused with what to do instead.
    public func fileEntry(_ filename: String, in snapshot: Snapshot) async throws -> (path: [FileName], entry: TreeEntry) {
        var (path, entry) = try await find(filename, in: snapshot)
        guard entry.kind == .file else {
            throw BackupError(
                .notInSnapshot,
                entry.kind == .directory
                    ? "\(filename) is a folder in the snapshot, and getfile restores one file: restore the folder with -operation restore -filename \(filename) -filedest DIR"
                    : "\(filename) is a link in the snapshot, and getfile restores the contents of a file: give the path of the file it points to")
        }
        if case .hardLink(let first) = entry.content {
            // Another name of a hard-linked file: the content is in the entry of the name it was first backed up under.
            let original = try await lookup(first, from: snapshot.rootTree)
            guard let original, original.kind == .file, !original.isHardLink else {
                throw BackupError(.notInSnapshot,
                                  "\(filename) is a hard link to \(first.shown), which is not a file in the snapshot")
            }
            entry.content = original.content
            entry.size = original.size
        }
        return (path, entry)
    }

    /// Restores one file's `entry` (shown as `shown` in errors) to `destination`, a file path or an existing folder to
    /// put it in: every block verified, written through a temp name renamed when whole, never over an existing file
    /// without `force`.
    public func restoreEntry(_ entry: TreeEntry, shown: String, to destination: String, force: Bool) async throws -> RestoreSummary {
        let started = Date()
        var target = LocalPath(destination)
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: destination, isDirectory: &isDir), isDir.boolValue {
            target = LocalPath(destination).appending(entry.name)
        }
        let parent = (destination as NSString).deletingLastPathComponent
        if !isDir.boolValue, !FileManager.default.fileExists(atPath: parent.isEmpty ? "." : parent, isDirectory: &isDir) || !isDir.boolValue {
            throw BackupError(.destination, "-filedest folder \(parent) does not exist")
        }
        if (try? FileInfo.lstat(target)) != nil && !force {
            throw BackupError(.destination, "\(target) already exists; add -force to overwrite it")
        }
        let (targetFolder, targetName) = target.split
        removeDebris(RestoreDebris.removeTempFiles(in: LocalPath(bytes: targetFolder.isEmpty ? Array(".".utf8) : targetFolder), of: FileName(bytes: targetName)))
        var summary = RestoreSummary()
        summary.destination = target.description
        progress?.setTotal(files: 1, bytes: entry.size)
        try await writeFile(entry, to: target, display: shown)
        progress?.fileDone()
        summary.files = 1
        summary.bytes = entry.size
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    func find(_ filename: String, in snapshot: Snapshot) async throws -> (path: [FileName], entry: TreeEntry) {
        try await catalog.locate(filename, in: snapshot, named: snapshotName)
    }

    func lookup(_ components: [FileName], from root: Identifier) async throws -> TreeEntry? {
        try await catalog.entry(at: components, from: root)
    }

    // MARK: Whole snapshot

    /// Restores `snapshot` into `destination`, or of it what `selection` keeps: then `snapshot.rootTree` (with its
    /// root mode and mtime) is the selected folder's, and `fullRoot` the snapshot's own root tree (for hard links
    /// to names outside the selection).
    public func restoreAll(_ snapshot: Snapshot, to destination: String, force: Bool,
                           selection: RestoreSelection = RestoreSelection(), fullRoot: Identifier? = nil) async throws -> RestoreSummary {
        let started = Date()
        let fm = FileManager.default
        let dest = destination.hasSuffix("/") && destination.count > 1 ? String(destination.dropLast()) : destination
        var isDir: ObjCBool = false
        let exists = fm.fileExists(atPath: dest, isDirectory: &isDir)
        if exists && !isDir.boolValue {
            throw BackupError(.destination, "-filedest \(dest) is a file; give a folder to restore into")
        }
        let parent = (dest as NSString).deletingLastPathComponent
        // What an interrupted restore into the same place left: its work folder beside, its temp files inside.
        removeDebris(RestoreDebris.removeWorkFolders(of: FileName((dest as NSString).lastPathComponent), in: LocalPath(parent.isEmpty ? "." : parent))
            + (exists ? RestoreDebris.removeTempFiles(in: LocalPath(dest)) : 0))
        let nonEmpty = exists && !((try? fm.contentsOfDirectory(atPath: dest))?.isEmpty ?? true)
        if nonEmpty && !force {
            throw BackupError(.destination, "-filedest \(dest) is not empty; add -force to restore into it")
        }
        if !fm.fileExists(atPath: parent.isEmpty ? "." : parent, isDirectory: &isDir) || !isDir.boolValue {
            throw BackupError(.destination, "the folder \(parent) that should hold \(dest) does not exist")
        }
        // Into a hidden sibling first, renamed into place at the end; straight into a non-empty folder with -force.
        let workDir = nonEmpty ? dest : (parent.isEmpty ? "." : parent) + "/." + (dest as NSString).lastPathComponent
            + ".peerstore-restore-" + Hex.encode(SecureRandom.bytes(4))
        if !nonEmpty {
            guard mkdir(workDir, 0o700) == 0 else { throw BackupError(.destination, "cannot create \(workDir): \(String(cString: strerror(errno)))") }
        }
        var summary = RestoreSummary()
        let whole = selection.folder.isEmpty && selection.isWholeFolder
        if whole { progress?.setTotal(files: Int(snapshot.files), bytes: snapshot.bytes) }
        do {
            // The walk creates folders and links and hands every file to the file restorers as soon as its folder
            // exists, many files at once (not folder by folder: small folders would leave the pipeline empty); then the
            // other names of hard-linked files, then folder modes and times, deepest first, because writing into a
            // folder changes its mtime and a read-only mode would stop us.
            var plan = Plan()
            let (stream, continuation) = AsyncStream.makeStream(of: FileBatch.self)
            let handOver = FileHandOff(files: continuation, ahead: PermitPool(permits: Self.filesAhead))
            // A child task: if the walk fails it is cancelled and awaited on the way out, before the work folder goes.
            async let restoring = restoreFiles(stream, ahead: handOver.ahead, direct: !nonEmpty)
            do {
                try await collect(snapshot.rootTree, into: LocalPath(workDir), cleaning: nonEmpty, selection: selection, plan: &plan,
                                  files: handOver, summary: &summary)
            } catch is RestorersStopped {
                // The restorers failed, so the walk stopped: their error is the one to report.
                continuation.finish()
                _ = try await restoring
                throw CancellationError()
            } catch {
                continuation.finish()
                throw error
            }
            continuation.finish()
            let (restored, written) = try await restoring
            summary.files += written.files
            summary.bytes += written.bytes
            summary.failed += written.failed
            try await restoreHardLinks(plan.hardLinks, root: LocalPath(workDir), restored: restored, selection: selection,
                                       fullRoot: fullRoot ?? snapshot.rootTree, direct: !nonEmpty, summary: &summary)
            if !selection.isWholeFolder && summary.files + summary.directories + summary.symlinks + summary.failed.count == 0 {
                throw BackupError(.notInSnapshot, "no path of the snapshot matches -include \(selection.include.patterns.joined(separator: " ")): nothing was restored; see -operation ls")
            }
            for (entry, path) in plan.folders {
                try applyMetadata(path, mode: entry.mode, mtime: entry.mtime, uid: owner(entry.uid), gid: owner(entry.gid))
            }
            try applyMetadata(LocalPath(workDir), mode: snapshot.rootMode, mtime: snapshot.rootMtime, uid: nil, gid: nil)
            if !nonEmpty {
                if exists { rmdir(dest) }
                guard rename(workDir, dest) == 0 else {
                    throw BackupError(.destination, "cannot move the restored folder into \(dest): \(String(cString: strerror(errno)))")
                }
            }
        } catch {
            if !nonEmpty { try? fm.removeItem(atPath: workDir) }
            throw error
        }
        summary.destination = dest
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// One file for the file restorers: its entry, where it goes, and its name as shown.
    private typealias FileJob = (entry: TreeEntry, path: LocalPath, shown: String)

    /// What the walk hands the file restorers: one large file, or up to `smallFilesPerGroup` small files of one folder.
    private enum FileBatch: Sendable {
        case large(FileJob)
        case small([FileJob])

        /// Its share of the restorers' limit: a large file weighs `smallFilesPerFile` small ones.
        var weight: Int {
            switch self {
            case .large: Restorer.smallFilesPerFile
            case .small(let jobs): jobs.count
            }
        }
    }

    /// Where the walk hands its batches to the file restorers, and the permits that keep it at most `filesAhead` ahead.
    private struct FileHandOff {
        let files: AsyncStream<FileBatch>.Continuation
        let ahead: PermitPool

        /// Hands `batch` over once it fits; throws `RestorersStopped` when the restorers have failed.
        func send(_ batch: FileBatch) async throws {
            guard await ahead.acquire(batch.weight) else { throw RestorersStopped() }
            files.yield(batch)
        }
    }

    /// The walk stopped because the file restorers failed.
    private struct RestorersStopped: Error {}

    /// What became of one file: its entry, its shown name, and the content error that kept it from being written.
    private typealias FileOutcome = (entry: TreeEntry, shown: String, error: BackupError?)

    /// What a whole restore does after the walk and the files: other names of hard-linked files (path, shown name, first
    /// name's path), and folders children first.
    private struct Plan {
        var hardLinks: [(LocalPath, String, [FileName], TreeEntry)] = []
        var folders: [(TreeEntry, LocalPath)] = []
    }

    /// Walks the snapshot's folders breadth first, fetching the trees of a level many at once: creates folders and
    /// links, hands files to `files` (their folder exists by then; it waits while the restorers are `filesAhead`
    /// behind), and adds hard links and folders (deepest level first) to `plan`. A folder whose tree is missing or corrupt is listed in `summary.failed` and left empty; the
    /// root's tree must be readable. `cleaning`: the folders may exist already (-force); temp files an interrupted
    /// restore left in them are removed. Only what `selection` keeps is written; a folder it only looks into is created
    /// when something in it is.
    private func collect(_ root: Identifier, into rootDir: LocalPath, cleaning: Bool, selection: RestoreSelection, plan: inout Plan,
                         files: FileHandOff, summary: inout RestoreSummary) async throws {
        var level: [WalkFolder] = [WalkFolder(id: root, dir: rootDir, path: selection.folder, whole: selection.isWholeFolder, isRoot: true)]
        var foldersByLevel: [[(TreeEntry, LocalPath)]] = []
        var pending = PendingFolders()
        while !level.isEmpty {
            var nextLevel: [WalkFolder] = []
            var folders: [(TreeEntry, LocalPath)] = []
            // A slice of the level at a time: the trees of a whole level of a large snapshot would all be in memory.
            for start in stride(from: 0, to: level.count, by: Self.treesAtOnce) {
                let slice = level[start..<min(level.count, start + Self.treesAtOnce)]
                let trees = try await fetchTrees(slice.map { ($0.id, $0.path.shown) })
                for (folder, fetched) in zip(slice, trees) {
                    if cleaning && !folder.isRoot { removeDebris(RestoreDebris.removeTempFiles(in: folder.dir)) }
                    let tree: Tree
                    switch fetched {
                    case .success(let t):
                        tree = t
                    case .failure(let error):
                        if folder.isRoot { throw error }
                        summary.failed.append("\(folder.path.shown)/: \(error.message)")
                        continue
                    }
                    var small: [FileJob] = []
                    for entry in tree.entries {
                        let path = folder.dir.appending(entry.name)
                        let components = folder.path + [entry.name]
                        let decision = selection.decide(components, isDirectory: entry.kind == .directory, parentWhole: folder.whole)
                        if decision == .skip { continue }
                        if decision == .restore && !folder.whole {
                            for made in try pending.create(folder.dir) {
                                foldersByLevel[made.depth].append((made.entry, made.path))
                                summary.directories += 1
                            }
                        }
                        let shown = components.shown
                        switch entry.content {
                        case .subtree(let sub):
                            nextLevel.append(WalkFolder(id: sub, dir: path, path: components, whole: decision == .restore, isRoot: false))
                            if decision == .look {
                                pending.add(path, entry: entry, parent: folder.dir, depth: foldersByLevel.count)
                                continue
                            }
                            try RestoreFolder.make(path)
                            folders.append((entry, path))
                            summary.directories += 1
                        case .linkTarget(let target):
                            if (try? FileInfo.lstat(path)) != nil { path.withCString { _ = unlink($0) } }
                            guard target.withCString({ t in path.withCString { symlink(t, $0) } }) == 0 else {
                                throw BackupError(.io, "cannot create link \(path): \(String(cString: strerror(errno)))")
                            }
                            try? applyMetadata(path, mode: nil, mtime: entry.mtime, uid: owner(entry.uid), gid: owner(entry.gid))
                            summary.symlinks += 1
                        case .none, .inline, .manifest:
                            if Self.isSmall(entry) {
                                small.append((entry, path, shown))
                                if small.count == Self.smallFilesPerGroup { try await files.send(.small(small)); small = [] }
                            } else {
                                try await files.send(.large((entry, path, shown)))
                            }
                        case .hardLink(let first):
                            plan.hardLinks.append((path, shown, first, entry))
                        }
                    }
                    if !small.isEmpty { try await files.send(.small(small)) }
                }
            }
            foldersByLevel.append(folders)
            level = nextLevel
        }
        plan.folders = foldersByLevel.reversed().flatMap { $0 }
    }

    /// A folder of a restore's walk: its tree, where it goes, its path from the backed-up folder, whether it is
    /// restored whole or only looked into (`-include`), and whether it is where the walk starts.
    private struct WalkFolder {
        let id: Identifier
        let dir: LocalPath
        let path: [FileName]
        let whole: Bool
        let isRoot: Bool
    }

    /// The trees `folders` name, in order, fetched up to `parallelFiles` at once; a missing or corrupt one is a failure.
    private func fetchTrees(_ folders: [(Identifier, String)]) async throws -> [Result<Tree, BackupError>] {
        var results = [Result<Tree, BackupError>?](repeating: nil, count: folders.count)
        try await forEachConcurrently(folders.enumerated(), limit: parallelFiles) { (i, folder) -> (Int, Result<Tree, BackupError>) in
            let (id, display) = folder
            do {
                return (i, .success(try await self.catalog.tree(id, what: display.isEmpty ? "the root folder" : "folder \(display)")))
            } catch let error as BackupError where error.isLostContent {
                return (i, .failure(error))
            }
        } onResult: { (i, result) in
            results[i] = result
        }
        return results.map { $0! }
    }

    /// Restores the files the walk hands over, several at once; a file whose blocks are missing or corrupt is listed in
    /// the returned summary, not written. Returns the shown names of the files written, and their counts.
    /// Each batch gives its permits back to `ahead` once written; if the restorers fail, `ahead` is closed, which
    /// stops the walk.
    private func restoreFiles(_ files: AsyncStream<FileBatch>, ahead: PermitPool, direct: Bool) async throws -> (RestoredNames, RestoreSummary) {
        var restored = RestoredNames()
        var summary = RestoreSummary()
        let limit = ConcurrencyLimit(tasks: parallelFiles * Self.smallFilesPerFile, weightLimit: parallelFiles * Self.smallFilesPerFile)
        do {
            try await forEachConcurrently(files, limit: limit, weight: { $0.weight }) { batch -> [FileOutcome] in
                let outcomes: [FileOutcome]
                switch batch {
                case .large(let job):
                    do {
                        try await self.writeFile(job.entry, to: job.path, display: job.shown, direct: direct)
                        outcomes = [(job.entry, job.shown, nil)]
                    } catch let error as BackupError where error.isLostContent {
                        outcomes = [(job.entry, job.shown, error)]
                    }
                case .small(let jobs):
                    outcomes = try await self.writeSmallFiles(jobs, direct: direct)
                }
                await ahead.release(batch.weight)
                return outcomes
            } continueAfter: { outcomes in
                for (entry, shown, error) in outcomes {
                    if let error {
                        summary.failed.append("\(shown): \(error.message)")
                    } else {
                        restored.insert(shown)
                        summary.files += 1
                        summary.bytes += entry.size
                        progress?.fileDone()
                    }
                }
                return true
            }
        } catch {
            await ahead.close()
            throw error
        }
        return (restored, summary)
    }

    /// Writes small files (`isSmall`): an empty one at once, the others' chunks asked for all at once and each file
    /// written whole as soon as its chunk is here, one after another. A file whose block is missing or corrupt gets
    /// its error, not a file.
    private func writeSmallFiles(_ jobs: [FileJob], direct: Bool) async throws -> [FileOutcome] {
        let fetcher = catalog.fetcher
        return try await withThrowingTaskGroup(of: (Int, Result<[UInt8], BackupError>).self) { group in
            var outcomes: [FileOutcome] = []
            outcomes.reserveCapacity(jobs.count)
            for (i, job) in jobs.enumerated() {
                guard case .inline(let refs) = job.entry.content, let ref = refs.first else {
                    try writeWhole(job.entry, [], to: job.path, direct: direct)
                    outcomes.append((job.entry, job.shown, nil))
                    continue
                }
                group.addTask {
                    do {
                        return (i, .success(try await fetcher.chunk(ref, what: job.shown)))
                    } catch let error as BackupError where error.isLostContent {
                        return (i, .failure(error))
                    }
                }
            }
            while let (i, fetched) = try await group.next() {
                let job = jobs[i]
                switch fetched {
                case .success(let chunk):
                    try writeWhole(job.entry, chunk, to: job.path, direct: direct)
                    outcomes.append((job.entry, job.shown, nil))
                case .failure(let error):
                    outcomes.append((job.entry, job.shown, error))
                }
            }
            return outcomes
        }
    }

    /// Writes a file whose content is all here (`chunk`): created, written, given its metadata and moved into place.
    private func writeWhole(_ entry: TreeEntry, _ chunk: [UInt8], to path: LocalPath, direct: Bool,
                            replaceIf: (@Sendable () -> Bool)? = nil) throws {
        var writer = try ioErrors { try FileWriter(finalPath: path, direct: direct, mode: entry.mode) }
        if !chunk.isEmpty {
            try ioErrors { try writer.append(chunk) }
            progress?.add(bytes: chunk.count)
        }
        try commit(writer, entry, replaceIf: replaceIf)
    }

    /// Creates each other name of a hard-linked file as a hard link (link(2)) to its first name under `root`. A name
    /// whose first name was not restored (its file failed, or the path is not a file of the snapshot) is listed, not
    /// created; one whose first name is outside what `selection` restores gets the file's content as a file of its
    /// own (read through `fullRoot`). Counted as files.
    private func restoreHardLinks(_ links: [(LocalPath, String, [FileName], TreeEntry)], root: LocalPath, restored: RestoredNames,
                                  selection: RestoreSelection, fullRoot: Identifier, direct: Bool, summary: inout RestoreSummary) async throws {
        for (path, shown, first, entry) in links {
            let firstShown = first.shown
            let inFolder = first.count > selection.folder.count && Array(first.prefix(selection.folder.count)) == selection.folder
            guard restored.contains(firstShown) else {
                if inFolder && selection.isWholeFolder {
                    summary.failed.append("\(shown): hard link to \(firstShown), which was not restored")
                } else {
                    try await restoreOutsideLink(entry, at: path, shown: shown, first: first, fullRoot: fullRoot, direct: direct, summary: &summary)
                }
                continue
            }
            if (try? FileInfo.lstat(path)) != nil { path.withCString { _ = unlink($0) } }
            let firstPath = first.dropFirst(selection.folder.count).reduce(root) { $0.appending($1) }
            guard firstPath.withCString({ f in path.withCString { link(f, $0) } }) == 0 else {
                summary.failed.append("\(shown): cannot link it to \(firstShown): \(String(cString: strerror(errno)))")
                continue
            }
            summary.files += 1
            progress?.fileDone()
        }
    }

    /// A hard link whose first name the selection leaves out: the file's content, written under this name.
    private func restoreOutsideLink(_ entry: TreeEntry, at path: LocalPath, shown: String, first: [FileName], fullRoot: Identifier,
                                    direct: Bool, summary: inout RestoreSummary) async throws {
        var file = entry
        guard let original = try await lookup(first, from: fullRoot), original.kind == .file, !original.isHardLink else {
            summary.failed.append("\(shown): hard link to \(first.shown), which is not a file in the snapshot")
            return
        }
        (file.content, file.size) = (original.content, original.size)
        do {
            try await writeFile(file, to: path, display: shown, direct: direct)
            summary.files += 1
            summary.bytes += file.size
            progress?.fileDone()
        } catch let error as BackupError where error.isLostContent {
            summary.failed.append("\(shown): \(error.message)")
        }
    }

    /// A file whose content is at most one small chunk named in its tree entry.
    private static func isSmall(_ entry: TreeEntry) -> Bool {
        switch entry.content {
        case .none: true
        case .inline(let refs): refs.count <= 1 && entry.size <= UInt64(BlockBatch.smallBlock)
        default: false
        }
    }

    /// `body`, with a file system error made a backup error (`io`).
    private func ioErrors<T: ~Copyable>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as FileSystemError { throw BackupError(.io, e.description) }
    }

    private func owner(_ id: UInt32) -> UInt32? { restoreOwners ? id : nil }

    private func removeDebris(_ removed: Int) {
        if removed > 0 { logger.notice("removed what an interrupted restore left", metadata: ["paths": "\(removed)"]) }
    }

    // MARK: File content

    /// `direct`: write under the final name (inside a restore's hidden work folder), see `FileWriter`.
    /// `replaceIf`: see `FileWriter.commit`.
    func writeFile(_ entry: TreeEntry, to path: LocalPath, display: String, direct: Bool = false,
                   replaceIf: (@Sendable () -> Bool)? = nil) async throws {
        let refs: [ChunkRef]
        switch entry.content {
        case .none: refs = []
        case .inline(let r): refs = r
        case .manifest(let id, let key):
            let bytes = try await catalog.fetcher.fetch(id, what: display)
            do {
                refs = try FileManifest.open(bytes, sessionKey: key).chunks
            } catch let error as BackupError {
                throw BackupError(error.code, "\(display): \(error.message)")
            }
        default:
            throw BackupError(.badFormat, "\(display) is not a file")
        }
        let fetcher = catalog.fetcher
        if refs.count <= 1 {
            // Most files are one chunk (or none): fetched here, without a task group of one, before the file is made.
            var chunk: [UInt8] = []
            if let ref = refs.first { chunk = try await fetcher.chunk(ref, what: display) }
            try writeWhole(entry, chunk, to: path, direct: direct, replaceIf: replaceIf)
            return
        }
        var writer = try ioErrors { try FileWriter(finalPath: path, direct: direct, mode: entry.mode) }
        // A sliding window: up to `fetchWindow` chunks in flight, written in order as soon as the next one is here.
        try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
            var next = 0
            var written = 0
            var arrived: [Int: [UInt8]] = [:]
            func startWhileRoom() {
                while next < refs.count && next - written < fetchWindow {
                    let (i, ref) = (next, refs[next])
                    next += 1
                    group.addTask { (i, try await fetcher.chunk(ref, what: display)) }
                }
            }
            startWhileRoom()
            while let (i, chunk) = try await group.next() {
                arrived[i] = chunk
                while let ready = arrived.removeValue(forKey: written) {
                    try ioErrors { try writer.append(ready) }
                    progress?.add(bytes: ready.count)
                    written += 1
                }
                startWhileRoom()
            }
        }
        try commit(writer, entry, replaceIf: replaceIf)
    }

    /// Gives the written file `entry`'s size, mode, owner and times and moves it into place.
    private func commit(_ writer: consuming FileWriter, _ entry: TreeEntry, replaceIf: (@Sendable () -> Bool)?) throws {
        do {
            try writer.commit(mode: entry.mode, mtime: entry.mtime, uid: owner(entry.uid), gid: owner(entry.gid), replaceIf: replaceIf)
        } catch let e as FileSystemError {
            throw BackupError(.io, e.description)
        }
    }
}
