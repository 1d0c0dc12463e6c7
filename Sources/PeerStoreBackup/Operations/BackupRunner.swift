import ChordRing
import Foundation
import Logging
import PeerStoreConcurrency
import PeerStoreModel
import PeerStoreWire

/// Backs up one folder: walks it depth-first, cuts files into chunks, seals chunks, manifests and trees, sends the blocks,
/// then stores a snapshot and moves the device's head. The head moves only after every block is durable, so a snapshot
/// never names a missing block; an interrupted backup leaves the previous head in place.
///
/// With a file cache (`FileCacheStore`), a file whose size, mtime, ctime, inode and device are those the previous
/// backup recorded is not read: its tree entry gets the content recorded then, once the ring confirmed that content's
/// blocks exist. Trees are the same with or without the cache; a new cache is written only after the head moved.
public final class BackupRunner: Sendable {
    public let client: any RingAccess
    public let identity: Identity
    let logger: Logger
    let chunker: FastCDC
    /// Counters for a progress line, if someone shows one.
    let progress: TransferProgress?
    /// The newest head seq seen per device (see `SnapshotCatalog.heads`).
    let heads: HeadMemory?
    /// A backup that ran longer than this (seconds) leases every block of its snapshot again before it commits: a
    /// prune's release spares only leases renewed within B (24 h) of when it read the heads (docs/retention.md part 3).
    let renewLeasesAfter: Double
    /// Seconds between checkpoints of the file cache of a backup without a previous cache (`FileCacheCheckpoint`).
    let checkpointEvery: TimeInterval
    /// The chunk block version new chunks get (tests make version 1 blocks, as older builds wrote).
    let chunkFormat: ChunkFormat
    public init(client: any RingAccess, identity: Identity, logger: Logger, chunker: FastCDC = FastCDC(), progress: TransferProgress? = nil,
                heads: HeadMemory? = nil, renewLeasesAfter: Double = Double(LeaseRules.backupBound / 2), checkpointEvery: TimeInterval = 60,
                chunkFormat: ChunkFormat = .preferred) {
        self.chunkFormat = chunkFormat
        self.renewLeasesAfter = renewLeasesAfter
        self.checkpointEvery = checkpointEvery
        self.progress = progress
        self.heads = heads
        self.client = client
        self.identity = identity
        self.logger = logger
        self.chunker = chunker
    }

    private struct Walk {
        var summary = BackupSummary(snapshotID: .zero)
        let uploader: BlockUploader
        let reader: FileReader
        let limit: PermitPool
        /// The previous backup's cache (nil: read every file).
        var previous: FileCache?
        /// The cache this backup writes (nil: none).
        var next: FileCacheWriter?
        /// Checkpoints of `next` while the walk goes on (nil: none, as when a previous cache is in use).
        var checkpoint: FileCacheCheckpoint?
        /// Files with several links stored so far: a later name of one becomes a hard-link entry.
        var hardLinks = HardLinkIndex()
        /// Every entry stored, by path, when a sync asks for the scan (nil: not kept).
        var scanned: [SyncPath: FileMeta]?
        /// Folders whose trees wait for entries.
        var folders = OpenFolders()
        /// Read tasks started and not yet taken.
        var reading = 0
        /// The root folder's tree, once sealed.
        var rootTree: Identifier?
    }

    /// Backs up `localPath` as `device`, leaving out what `excludes` (and `.peerstoreignore` files) name. With `cache`,
    /// unchanged files are taken from the cache (unless `reuseCache` is false: then every file is read) and a new cache
    /// is written after the head moved.
    /// With `scan`, the summary's `scanned` has every entry stored (a hard link's other names with the file's content).
    /// With `skipIfUnchanged`, a backup whose snapshot would store the same folder as the head's snapshot
    /// (`Snapshot.storesSameFolder`) writes no snapshot and leaves the head and the index as they are; the summary
    /// then names the head's snapshot and has `unchanged` set.
    public func run(localPath: String, device: String, excludes: ExcludeRules = ExcludeRules(), cache store: FileCacheStore? = nil,
                    reuseCache: Bool = true, scan: Bool = false, skipIfUnchanged: Bool = false) async throws -> BackupSummary {
        let started = Date()
        let startedNanoseconds = Int64(started.timeIntervalSince1970 * 1e9)
        let root = try Self.canonicalRoot(localPath)
        let catalog = SnapshotCatalog(client: client, identity: identity, heads: heads)
        let previous = try await catalog.head(device: device)
        // With skipIfUnchanged, the head's snapshot is read while the walk runs (unreadable: a snapshot is written).
        let headSnapshot = skipIfUnchanged ? previous.map { head in Task { try? await catalog.snapshot(head.pointer.snapshot) } } : nil
        defer { headSnapshot?.cancel() }
        // The history the new snapshot joins is read while the walk runs too, when a snapshot will surely be written or
        // the head is version 1 (its parent chain is read one snapshot after another).
        let previousIndex = previous.flatMap { head in
            !skipIfUnchanged || head.pointer.index == nil ? Task { try await catalog.index(of: head.pointer) } : nil
        }
        defer { previousIndex?.cancel() }

        let uploader = BlockUploader(client: client, leasing: .standard(client, identity))
        let reader = FileReader(chunker: chunker, keys: identity.keys, uploader: uploader, progress: progress,
                                fetcher: BlockFetcher(client: client), wantsCacheEntry: store != nil, chunkFormat: chunkFormat)
        var walk = Walk(uploader: uploader, reader: reader, limit: PermitPool(permits: FileReader.permits),
                        next: store == nil ? nil : FileCacheWriter())
        if scan { walk.scanned = [:] }
        // Totals for the progress line come from a quick count running alongside (lstat only). Running ahead of the
        // walk, it also brings the walk's folders and inodes into the cache: a no-change backup of 200,000 files took
        // 0.7 s longer without it.
        let scan = progress.map { progress in
            Task.detached(priority: .utility) {
                let (files, bytes) = TreeScan.count(LocalPath(root), excludes: excludes)
                progress.setTotal(files: files, bytes: bytes)
            }
        }
        defer { scan?.cancel() }
        if let store, reuseCache {
            walk.previous = try await loadCache(store, summary: &walk.summary, leasing: uploader.leasing)
        }
        if let store, walk.previous == nil {
            walk.checkpoint = FileCacheCheckpoint(store: store, device: device, started: startedNanoseconds, chunker: chunker.settings,
                                                  every: checkpointEvery)
        }
        let rootInfo = try FileInfo.lstat(root)
        let rootTree = try await backupTree(LocalPath(root), excludes: excludes, walk: &walk)
        walk.previous = nil  // the previous cache is done with: its memory is free before the new one is sealed

        let now = Timestamp.nowNanoseconds()
        let snapshot = Snapshot(
            time: now, device: device, hostname: ProcessInfo.processInfo.hostName, rootPath: root, rootMode: rootInfo.mode,
            rootMtime: rootInfo.mtime, rootTree: rootTree,
            parent: previous?.pointer.snapshot, files: UInt64(walk.summary.files), directories: UInt64(walk.summary.directories),
            bytes: walk.summary.bytes)
        let snapshotID: Identifier
        let stats: BlockUploader.Stats
        var summary = walk.summary
        if let head = previous, let stored = await headSnapshot?.value, snapshot.storesSameFolder(as: stored) {
            // The head's snapshot already stores this folder: no snapshot, no head move, the index untouched.
            stats = try await walk.uploader.finish()
            snapshotID = head.pointer.snapshot
            summary.unchanged = true
        } else {
            let sealed = try snapshot.seal(keys: identity.keys)
            try await walk.uploader.add(id: sealed.id, bytes: sealed.bytes)
            stats = try await walk.uploader.finish()
            if Date().timeIntervalSince(started) > renewLeasesAfter {
                summary.leasesRenewed = try await renewLeases(of: sealed.id, snapshot, catalog: catalog)
            }
            if let notice = try await catalog.moveHead(device: device, to: sealed.id, time: now, previous: previous?.record,
                                                       previousIndex: previousIndex) {
                logger.warning("snapshot history not readable; head kept in version 1")
                summary.notices.append(notice)
            }
            snapshotID = sealed.id
        }

        summary.scanned = walk.scanned.map(Self.resolvingHardLinks)
        if let store, let writer = walk.next {
            do {
                try store.save(writer, started: startedNanoseconds, chunker: chunker.settings)
            } catch {
                summary.notices.append("the file cache could not be saved (\(error)); the next backup reads every file")
            }
        }
        summary.snapshotID = snapshotID
        summary.rootTree = rootTree
        summary.blocksSent = stats.blocksSent
        summary.bytesSent = stats.bytesSent
        summary.blocksOffered = stats.blocksOffered
        summary.seconds = Date().timeIntervalSince(started)
        logger.info(summary.unchanged ? "backup unchanged" : "backup stored", metadata: [
            "snapshot": "\(snapshotID)", "files": "\(summary.files)", "files.read": "\(summary.filesRead)",
            "blocks.sent": "\(summary.blocksSent)"])
        return summary
    }

    /// Leases every block of the snapshot again, with a grant issued now; returns how many blocks. A block released
    /// meanwhile is still there for the nodes' grace period and is leased again; one already deleted (a backup longer
    /// than B and the grace period) fails the backup before its head moves, so no snapshot names a missing block.
    private func renewLeases(of id: Identifier, _ snapshot: Snapshot, catalog: SnapshotCatalog) async throws -> Int {
        let ids = try await ReplicaCheck(catalog: catalog).blockIDs(snapshotID: id, snapshot: snapshot)
        // The ring client batches the grant per owner.
        let absent = try await BlockLeasing.standard(client, identity).haveBlocks(ids).filter { !$0 }.count
        guard absent == 0 else {
            throw BackupError(.missingBlock, "this backup ran so long that \(Format.count(absent, "block")) it found on the ring were pruned meanwhile; nothing was stored: run the backup again (it reads those files anew)")
        }
        logger.notice("a long backup leased its blocks again", metadata: ["blocks": "\(ids.count)"])
        return ids.count
    }

    /// The previous cache, its entries whose blocks the ring lacks dropped; nil (with a notice) if it cannot be used.
    private func loadCache(_ store: FileCacheStore, summary: inout BackupSummary, leasing: BlockLeasing?) async throws -> FileCache? {
        let loaded = store.load(chunker: chunker.settings)
        if let notice = loaded.notice {
            logger.notice("file cache not used", metadata: ["reason": "\(notice)"])
            summary.notices.append(notice)
        }
        guard var cache = loaded.cache else { return nil }
        let dropped = try await CachedBlockCheck.dropMissing(from: &cache, client: client, leasing: leasing)
        if dropped > 0 {
            logger.notice("file cache entries whose blocks are missing on the ring", metadata: ["entries": "\(dropped)"])
        }
        return cache
    }

    /// The absolute, symlink-free path of the folder to back up; a clear error if it is not a readable folder.
    public static func canonicalRoot(_ path: String) throws -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        guard let resolved = realpath(absolute, nil) else {
            throw BackupError(.localPath, "-localPath \(path) does not exist")
        }
        defer { free(resolved) }
        let root = String(cString: resolved)
        let info = try? FileInfo.lstat(root)
        guard info?.kind == .directory else { throw BackupError(.localPath, "-localPath \(path) is not a folder") }
        guard access(root, R_OK | X_OK) == 0 else { throw BackupError(.localPath, "-localPath \(path) is not readable") }
        return root
    }

    /// A file's read as it comes back to the walk: where its entry goes, and what the read gave.
    private struct Read: Sendable {
        let slot: OpenFolders.Slot
        let path: LocalPath
        let relative: [FileName]
        let result: Result<FileReader.Outcome, FileSystemError>
    }
    private typealias Reads = ThrowingTaskGroup<[Read], any Error>

    /// Walks the tree at `root` and returns its tree's id once every folder's tree is sealed and sent.
    private func backupTree(_ root: LocalPath, excludes: ExcludeRules, walk: inout Walk) async throws -> Identifier {
        try await withThrowingTaskGroup(of: [Read].self) { reads in
            try await backupDirectory(root, relative: [], excludes: excludes, parent: nil, walk: &walk, reads: &reads)
            while let done = try await reads.next() { try await take(done, walk: &walk) }
            guard let id = walk.rootTree, walk.folders.count == 0 else {
                preconditionFailure("every folder is done once every read is taken")
            }
            return id
        }
    }

    /// Walks one folder: its entries go to their slots in `walk.folders`, at once or when their read comes back; its
    /// files are read on tasks in `reads` (a few at once, under the read permits of FileReader.permits) while the walk
    /// goes on with the next entries, subfolders and folders. Small files go in groups, one task each; a larger file
    /// has a task of its own. The folder's tree is sealed when the walk has left it and its last entry came in
    /// (`finish`), which may be while the walk is in a later folder. `parent` is where the folder's entry goes, with
    /// its `lstat`.
    private func backupDirectory(_ path: LocalPath, relative: [FileName], excludes inherited: ExcludeRules,
                                 parent: (slot: OpenFolders.Slot, info: FileInfo)?, walk: inout Walk, reads: inout Reads) async throws {
        let listing = try DirectoryReader.list(path)
        var excludes = inherited
        if listing.names.contains(ExcludeRules.ignoreFileName),
            let data = SmallFile.contents(of: path.appending(ExcludeRules.ignoreFileName))
        {
            excludes = excludes.adding(ignoreFile: String(decoding: data, as: UTF8.self), in: relative)
        }
        // From here on the folder is open: nothing but an upload's failure may throw out of it.
        let folder = walk.folders.open(entries: listing.names.count, relative: relative, parent: parent?.slot, info: parent?.info)
        let reader = walk.reader
        // Small files waiting for their group to fill.
        var pending: [(slot: OpenFolders.Slot, relative: [FileName], file: FileReader.FileToRead)] = []
        var pendingBytes: UInt64 = 0
        func startPending() async throws {
            guard !pending.isEmpty else { return }
            let files = pending
            pending = []
            pendingBytes = 0
            try await start(permits: 1, walk: &walk, reads: &reads) {
                zip(files, try await reader.read(whole: files.map(\.file))).map {
                    Read(slot: $0.slot, path: $0.file.path, relative: $0.relative, result: $1)
                }
            }
        }
        for (index, name) in listing.names.enumerated() {
            let child = path.appending(name)
            let childRelative = relative + [name]
            let slot = OpenFolders.Slot(folder: folder, index: index)
            do {
                let info: FileInfo
                do {
                    info = try FileInfo.lstat(child)
                } catch {
                    // Gone since the listing (a temp file, say): an excluded name is not worth a line.
                    if !excludes.isEmpty && excludes.excludes(childRelative, isDirectory: false) {
                        walk.summary.excluded += 1
                        continue
                    }
                    throw error
                }
                if !excludes.isEmpty && excludes.excludes(childRelative, isDirectory: info.kind == .directory) {
                    walk.summary.excluded += 1
                    continue
                }
                switch info.kind {
                case .file:
                    // Another name of a file already stored by this backup: the entry names the first path.
                    if let first = walk.hardLinks.firstPath(device: info.device, inode: info.inode, links: info.links) {
                        walk.summary.files += 1
                        progress?.add(bytes: Int(info.size))
                        progress?.fileDone()
                        walk.folders.set(slot, TreeEntry(file: name, info: info, size: info.size, content: .hardLink(first)))
                        continue
                    }
                    walk.hardLinks.add(device: info.device, inode: info.inode, links: info.links, path: childRelative)
                    let cached = walk.previous?.entry(path: child)
                    if let entry = fromCache(cached, name: name, path: child, info: info, walk: &walk) {
                        walk.folders.set(slot, entry)
                        continue
                    }
                    // The file changed: its previous content (if the cache has it) lets unchanged chunks skip sealing.
                    let file = FileReader.FileToRead(path: child, info: info, previous: cached?.content)
                    walk.folders.expect(slot)
                    if info.size <= UInt64(FileReader.wholeFileLimit) {
                        pending.append((slot, childRelative, file))
                        pendingBytes += info.size
                        if pending.count == FileReader.filesPerGroup || pendingBytes >= UInt64(FileReader.groupBytes) {
                            try await startPending()
                        }
                    } else {
                        try await start(permits: walk.reader.permits(forSize: info.size), walk: &walk, reads: &reads) {
                            let result: Result<FileReader.Outcome, FileSystemError>
                            do {
                                result = .success(try await reader.read(file.path, info: file.info, previous: file.previous))
                            } catch let error as FileSystemError {
                                result = .failure(error)
                            }
                            return [Read(slot: slot, path: file.path, relative: childRelative, result: result)]
                        }
                    }
                case .directory:
                    // The group waiting is read while the walk goes down into the subfolder.
                    try await startPending()
                    guard child.withCString({ access($0, R_OK | X_OK) }) == 0 else { throw FileSystemError.last("cannot open directory", child) }
                    try await backupDirectory(child, relative: childRelative, excludes: excludes, parent: (slot, info), walk: &walk, reads: &reads)
                case .symlink:
                    let target = try DirectoryReader.readLink(child)
                    walk.summary.symlinks += 1
                    walk.folders.set(slot, TreeEntry(name: name, kind: .symlink, mode: info.mode, mtime: info.mtime, uid: info.uid, gid: info.gid,
                                                     size: UInt64(target.bytes.count), content: .linkTarget(target)))
                case .other:
                    walk.summary.skipped.append("\(childRelative.shown): not a file, folder or link (socket, pipe or device)")
                }
            } catch let error as FileSystemError {
                walk.summary.skipped.append("\(childRelative.shown): \(error.description)")
            }
        }
        try await startPending()
        try await finish(walk.folders.close(folder), walk: &walk)
    }

    /// Starts a read task under `permits` read permits. Past the permit count of tasks not yet taken, the walk first
    /// takes one task's results, so a failed upload stops the walk soon and results do not pile up.
    private func start(permits: Int, walk: inout Walk, reads: inout Reads, _ work: @escaping @Sendable () async throws -> [Read]) async throws {
        if walk.reading >= FileReader.permits, let done = try await reads.next() {
            try await take(done, walk: &walk)
        }
        let limit = walk.limit
        await limit.acquire(permits)
        reads.addTask {
            do {
                let done = try await work()
                await limit.release(permits)
                return done
            } catch let error as FileSystemError {
                // A file's own failures come back as results. One thrown here would surface wherever the walk takes
                // results, maybe in another folder's loop, which would take it for one of its entries: it ends the backup.
                await limit.release(permits)
                throw BackupError(.io, error.description)
            } catch {
                await limit.release(permits)
                throw error
            }
        }
        walk.reading += 1
    }

    /// One read task's results: each file's entry goes to its slot (a failed file is reported and left out).
    private func take(_ done: [Read], walk: inout Walk) async throws {
        walk.reading -= 1
        for read in done {
            let name = read.relative[read.relative.count - 1]
            var entry: TreeEntry?
            switch read.result {
            case .success(let outcome):
                walk.summary.filesRead += 1
                walk.summary.chunksReused += outcome.chunksReused
                walk.summary.bytesRead += outcome.size
                walk.summary.bytes += outcome.size
                walk.summary.files += 1
                progress?.fileDone()
                if let cached = outcome.cacheEntry {
                    walk.next?.add(path: read.path, cached)
                    walk.checkpoint?.saveIfDue(walk.next)
                }
                if outcome.changedWhileRead { walk.summary.changedWhileRead.append(read.relative.shown) }
                entry = TreeEntry(file: name, info: outcome.info, size: outcome.size, content: outcome.content)
            case .failure(let error):
                walk.summary.skipped.append("\(read.relative.shown): \(error.description)")
            }
            try await finish(walk.folders.fill(read.slot, entry), walk: &walk)
        }
    }

    /// Seals and sends the tree of a folder that is done, and puts its entry in its parent, which may be done then too.
    private func finish(_ done: OpenFolders.Done?, walk: inout Walk) async throws {
        var next = done
        while let folder = next {
            if walk.scanned != nil {
                for entry in folder.entries { walk.scanned![SyncPath(folder.relative + [entry.name])] = FileMeta(entry) }
            }
            let (id, bytes) = try Tree(entries: folder.entries).seal(keys: identity.keys)
            try await walk.uploader.add(id: id, bytes: bytes)
            guard let parent = folder.parent, let info = folder.info else {
                walk.rootTree = id
                return
            }
            walk.summary.directories += 1
            let entry = TreeEntry(name: folder.relative[folder.relative.count - 1], kind: .directory, mode: info.mode, mtime: info.mtime,
                                  uid: info.uid, gid: info.gid, size: 0, content: .subtree(id))
            next = walk.folders.fill(parent, entry)
        }
    }

    /// The file's entry from the previous backup's cache when the file is unchanged; nil when the file must be read.
    private func fromCache(_ cached: FileCacheEntry?, name: FileName, path: LocalPath, info: FileInfo, walk: inout Walk) -> TreeEntry? {
        guard let cached, let cache = walk.previous, cache.isUnchanged(cached, info: info) else { return nil }
        walk.summary.filesUnchanged += 1
        walk.summary.bytes += cached.size
        walk.summary.files += 1
        progress?.add(bytes: Int(cached.size))
        progress?.fileDone()
        walk.next?.add(path: path, cached)
        return TreeEntry(file: name, info: info, size: cached.size, content: cached.content)
    }
}

extension BackupRunner {
    /// A scan with each hard link's other names given the content of the name it was first stored under.
    static func resolvingHardLinks(_ scan: [SyncPath: FileMeta]) -> [SyncPath: FileMeta] {
        var out = scan
        for (path, meta) in scan {
            if case .hardLink(let first) = meta.content, let original = scan[SyncPath(first)] {
                out[path]!.content = original.content
                out[path]!.size = original.size
            }
        }
        return out
    }
}

extension TreeEntry {
    /// A regular file's entry: metadata from `info`, content as read or cached.
    init(file name: FileName, info: FileInfo, size: UInt64, content: Content) {
        self.init(name: name, kind: .file, mode: info.mode, mtime: info.mtime, uid: info.uid, gid: info.gid, size: size, content: content)
    }
}
