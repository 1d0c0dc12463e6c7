import ChordRing
import Foundation
import Logging
import PeerStoreWire

/// Backs up one folder: walks it depth-first, cuts files into chunks, seals chunks, manifests and trees, sends the blocks,
/// then stores a snapshot and moves the device's head. The head moves only after every block is durable, so a snapshot
/// never names a missing block; an interrupted backup leaves the previous head in place.
///
/// With a file cache (`FileCacheStore`), a file whose size, mtime, ctime, inode and device are those the previous
/// backup recorded is not read: its tree entry gets the content recorded then, once the ring confirmed that content's
/// blocks exist. Trees are the same with or without the cache; a new cache is written only after the head moved.
public final class BackupRunner: Sendable {
    public let client: RingClient
    public let identity: Identity
    let logger: Logger
    let chunker: FastCDC
    /// Counters for a progress line, if someone shows one.
    let progress: TransferProgress?

    public init(client: RingClient, identity: Identity, logger: Logger, chunker: FastCDC = FastCDC(), progress: TransferProgress? = nil) {
        self.progress = progress
        self.client = client
        self.identity = identity
        self.logger = logger
        self.chunker = chunker
    }

    private struct Walk {
        var summary = BackupSummary(snapshotID: .zero)
        let uploader: BlockUploader
        /// The previous backup's cache (nil: read every file).
        var previous: FileCache?
        /// The cache this backup writes (nil: none).
        var next: FileCacheWriter?
        /// Files with several links stored so far: a later name of one becomes a hard-link entry.
        var hardLinks = HardLinkIndex()
    }

    /// Backs up `localPath` as `device`, leaving out what `excludes` (and `.peerstoreignore` files) name. With `cache`,
    /// unchanged files are taken from the cache (unless `reuseCache` is false: then every file is read) and a new cache
    /// is written after the head moved.
    public func run(localPath: String, device: String, excludes: ExcludeRules = ExcludeRules(), cache store: FileCacheStore? = nil,
                    reuseCache: Bool = true) async throws -> BackupSummary {
        let started = Date()
        let startedNanoseconds = Int64(started.timeIntervalSince1970 * 1e9)
        let root = try Self.canonicalRoot(localPath)
        let catalog = SnapshotCatalog(client: client, identity: identity)
        let previous = try await catalog.head(device: device)

        var walk = Walk(uploader: BlockUploader(client: client), next: store == nil ? nil : FileCacheWriter())
        // Totals for the progress line come from a quick count running alongside (lstat only).
        let scan = progress.map { progress in
            Task.detached(priority: .utility) {
                let (files, bytes) = TreeScan.count(root, excludes: excludes)
                progress.setTotal(files: files, bytes: bytes)
            }
        }
        defer { scan?.cancel() }
        if let store, reuseCache {
            walk.previous = try await loadCache(store, summary: &walk.summary)
        }
        let rootInfo = try FileInfo.lstat(root)
        let rootTree = try await backupDirectory(root, relative: [], excludes: excludes, walk: &walk)

        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        let snapshot = Snapshot(
            time: now, device: device, hostname: ProcessInfo.processInfo.hostName, rootPath: root, rootMode: rootInfo.mode,
            rootMtime: rootInfo.mtime, rootTree: rootTree,
            parent: previous?.pointer.snapshot, files: UInt64(walk.summary.files), directories: UInt64(walk.summary.directories),
            bytes: walk.summary.bytes)
        let sealed = try snapshot.seal(keys: identity.keys)
        try await walk.uploader.add(id: sealed.id, bytes: sealed.bytes)
        let stats = try await walk.uploader.finish()
        try await catalog.moveHead(device: device, to: sealed.id, time: now, previous: previous?.record)

        var summary = walk.summary
        if let store, let writer = walk.next {
            do {
                try store.save(writer.finish(device: device, started: startedNanoseconds, chunker: chunker.settings))
            } catch {
                summary.notices.append("the file cache could not be saved (\(error)); the next backup reads every file")
            }
        }
        summary.snapshotID = sealed.id
        summary.blocksSent = stats.blocksSent
        summary.bytesSent = stats.bytesSent
        summary.blocksOffered = stats.blocksOffered
        summary.seconds = Date().timeIntervalSince(started)
        logger.info("backup stored", metadata: [
            "snapshot": "\(sealed.id)", "files": "\(summary.files)", "files.read": "\(summary.filesRead)",
            "blocks.sent": "\(summary.blocksSent)"])
        return summary
    }

    /// The previous cache, its entries whose blocks the ring lacks dropped; nil (with a notice) if it cannot be used.
    private func loadCache(_ store: FileCacheStore, summary: inout BackupSummary) async throws -> FileCache? {
        let loaded = store.load(chunker: chunker.settings)
        if let notice = loaded.notice {
            logger.notice("file cache not used", metadata: ["reason": "\(notice)"])
            summary.notices.append(notice)
        }
        guard var cache = loaded.cache else { return nil }
        let dropped = try await CachedBlockCheck.dropMissing(from: &cache, client: client)
        if dropped > 0 {
            logger.notice("file cache entries whose blocks are missing on the ring", metadata: ["entries": "\(dropped)"])
        }
        return cache
    }

    /// The absolute, symlink-free path of the folder to back up; a clear error if it is not a readable folder.
    static func canonicalRoot(_ path: String) throws -> String {
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

    private func backupDirectory(_ path: String, relative: [String], excludes inherited: ExcludeRules, walk: inout Walk) async throws
        -> Identifier
    {
        let display = relative.isEmpty ? "." : relative.joined(separator: "/")
        let listing = try DirectoryReader.list(path)
        var excludes = inherited
        if listing.names.contains(ExcludeRules.ignoreFileName),
            let data = FileManager.default.contents(atPath: path + "/" + ExcludeRules.ignoreFileName)
        {
            excludes = excludes.adding(ignoreFile: String(decoding: data, as: UTF8.self), in: relative)
        }
        if listing.unreadableNames > 0 {
            walk.summary.skipped.append("\(display): \(listing.unreadableNames) entries with names that are not UTF-8")
        }
        var entries: [TreeEntry] = []
        entries.reserveCapacity(listing.names.count)
        for name in listing.names {
            let child = path + "/" + name
            let childRelative = relative + [name]
            let childDisplay = childRelative.joined(separator: "/")
            do {
                if !excludes.isEmpty {
                    let isDirectory = (try? FileInfo.lstat(child))?.kind == .directory
                    if excludes.excludes(childRelative, isDirectory: isDirectory) {
                        walk.summary.excluded += 1
                        continue
                    }
                }
                if let entry = try await backupEntry(child, relative: childRelative, excludes: excludes, walk: &walk) {
                    entries.append(entry)
                }
            } catch let error as FileSystemError {
                walk.summary.skipped.append("\(childDisplay): \(error.description)")
            }
        }
        let (id, bytes) = try Tree(entries: entries).seal(keys: identity.keys)
        try await walk.uploader.add(id: id, bytes: bytes)
        return id
    }

    private func backupEntry(_ path: String, relative: [String], excludes: ExcludeRules, walk: inout Walk) async throws -> TreeEntry? {
        let name = relative[relative.count - 1]
        let display = relative.joined(separator: "/")
        let info = try FileInfo.lstat(path)
        func entry(_ kind: TreeEntry.Kind, size: UInt64, content: TreeEntry.Content) -> TreeEntry {
            TreeEntry(name: name, kind: kind, mode: info.mode, mtime: info.mtime, uid: info.uid, gid: info.gid, size: size, content: content)
        }
        switch info.kind {
        case .directory:
            guard access(path, R_OK | X_OK) == 0 else { throw FileSystemError.last("cannot open directory", path) }
            let subtree = try await backupDirectory(path, relative: relative, excludes: excludes, walk: &walk)
            walk.summary.directories += 1
            return entry(.directory, size: 0, content: .subtree(subtree))
        case .symlink:
            let target = try DirectoryReader.readLink(path)
            walk.summary.symlinks += 1
            return entry(.symlink, size: UInt64(target.utf8.count), content: .linkTarget(target))
        case .file:
            // Another name of a file already stored by this backup: the entry names the first path; nothing is read.
            if let first = walk.hardLinks.firstPath(device: info.device, inode: info.inode, links: info.links) {
                walk.summary.files += 1
                progress?.add(bytes: Int(info.size))
                progress?.fileDone()
                return entry(.file, size: info.size, content: .hardLink(first))
            }
            let (size, content) = try await backupFile(path, info: info, walk: &walk)
            walk.hardLinks.add(device: info.device, inode: info.inode, links: info.links, path: relative)
            walk.summary.files += 1
            progress?.fileDone()
            return entry(.file, size: size, content: content)
        case .other:
            walk.summary.skipped.append("\(display): not a file, folder or link (socket, pipe or device)")
            return nil
        }
    }

    /// The file's size and content: from the previous cache if the file is unchanged, else by reading it.
    private func backupFile(_ path: String, info: FileInfo, walk: inout Walk) async throws -> (UInt64, TreeEntry.Content) {
        if let cached = walk.previous?.unchanged(path: path, info: info) {
            walk.summary.filesUnchanged += 1
            walk.summary.bytes += cached.size
            progress?.add(bytes: Int(cached.size))
            walk.next?.add(path: path, cached)
            return (cached.size, cached.content)
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw FileSystemError.last("cannot open", path) }
        defer { close(fd) }
        var reader = ChunkReader(fd: fd, chunker: chunker)
        var refs: [ChunkRef] = []
        var size: UInt64 = 0
        let convergence = identity.keys.convergence
        while true {
            let chunk: [UInt8]?
            do {
                chunk = try reader.next()
            } catch {
                throw FileSystemError(description: "cannot read \(path): \(error)")
            }
            guard let chunk else { break }
            let sealed = try ChunkBlock.seal(chunk, convergenceKey: convergence)
            try await walk.uploader.add(id: sealed.ref.blockID, bytes: sealed.bytes)
            refs.append(sealed.ref)
            size += UInt64(chunk.count)
            progress?.add(bytes: chunk.count)
        }
        walk.summary.filesRead += 1
        walk.summary.bytesRead += size
        walk.summary.bytes += size
        let content: TreeEntry.Content
        if refs.isEmpty {
            content = .none
        } else if refs.count <= 1 {
            content = .inline(refs)
        } else {
            let manifest = try FileManifest(size: size, chunks: refs).seal(keys: identity.keys)
            try await walk.uploader.add(id: manifest.id, bytes: manifest.bytes)
            content = .manifest(id: manifest.id, sessionKey: manifest.sessionKey)
        }
        // Cached only if the file did not change while it was read: what was read is what the metadata describes.
        let entry = FileCacheEntry(info: info, content: content)
        if walk.next != nil, size == info.size, let after = try? FileInfo.fstat(fd, path: path), entry.matches(after) {
            walk.next?.add(path: path, entry)
        }
        return (size, content)
    }
}
