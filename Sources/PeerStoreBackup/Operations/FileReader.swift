import ChordRing
import PeerStoreCrypto

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads one regular file for a backup: cuts it into chunks, seals each chunk (and a manifest when the file has more
/// than one), and queues the blocks with the uploader. Several run at once, each on its own task: one per large file,
/// one per group of a folder's small files (`read(whole:)`). The reads themselves wait on `BlockingThreads.fileReads`.
struct FileReader: Sendable {
    /// What reading a file gave.
    struct Outcome: Sendable {
        var size: UInt64
        var content: TreeEntry.Content
        /// The file's metadata as of the read that was stored (`fstat`; the walk's `lstat` may be older).
        var info: FileInfo
        /// Set when the file did not change while it was read, so the next backup may reuse the content unread.
        var cacheEntry: FileCacheEntry?
        /// Chunks whose reference was taken from the previous version of the file instead of being sealed again.
        var chunksReused = 0
        /// The file changed during each of its reads; the last read was stored.
        var changedWhileRead = false
    }

    let chunker: FastCDC
    let keys: KeyRing
    let uploader: BlockUploader
    let progress: TransferProgress?
    /// Where previous versions' manifests come from (nil: a changed file's chunks are all sealed again).
    let fetcher: BlockFetcher?
    /// Whether to check, after reading, that the file is still as `lstat` described it (only needed for a cache).
    let wantsCacheEntry: Bool
    /// The chunk block version new chunks are sealed with.
    var chunkFormat: ChunkFormat = .preferred
    /// A test's hook, called after each chunk of a read with the attempt's number (0, then 1 for a re-read).
    var afterChunk: (@Sendable (Int) -> Void)? = nil
    /// A test's hook, called after each read of a file read whole with the attempt's number.
    var afterWholeRead: (@Sendable (Int) -> Void)? = nil

    /// Read permits (a `PermitPool`) for all reading: up to 16 groups of small files, or 2 large files (plus 4 groups),
    /// at once.
    static let permits = 16
    /// A file larger than one chunk takes 6 permits: it holds a full chunk buffer and keeps a core busy sealing.
    func permits(forSize size: UInt64) -> Int { size > UInt64(chunker.settings.maxSize) ? 6 : 1 }

    /// Reads the file at `path`; `previous` is the content it had at the previous backup (from the file cache), whose
    /// chunks that are still on the ring are reused without sealing them again.
    ///
    /// A file whose size, mtime or ctime after reading are not those it had before is read once more: what was read
    /// may be a state that never existed (half old, half new). If it changes during the second read too, that read
    /// is stored and the outcome says so (`changedWhileRead`), for the backup to report.
    func read(_ path: LocalPath, info: FileInfo, previous previousContent: TreeEntry.Content? = nil) async throws -> Outcome {
        let (fd, opened) = try path.openForBackup(expecting: info)
        defer { close(fd) }
        var before = opened
        let previous = await previousChunks(of: previousContent)
        if info.size > UInt64(chunker.settings.maxSize) { _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL)) }
        for attempt in 0..<Self.attempts {
            if attempt > 0, lseek(fd, 0, SEEK_SET) != 0 { throw FileSystemError.last("cannot read", path) }
            let (refs, size, reused) = try await readChunks(fd, path: path, sizeHint: before.size, previous: previous, attempt: attempt)
            let after = try FileInfo.fstat(fd, path: path)
            let settled = size == before.size && after.hasSameContentState(as: before)
            guard settled || attempt == Self.attempts - 1 else {
                before = after
                continue
            }
            let content = try await content(of: refs, size: size)
            // Cached only if the file did not change while it was read: what was read is what the metadata describes.
            let cacheEntry = wantsCacheEntry && settled ? FileCacheEntry(info: before, content: content, chunks: refs) : nil
            return Outcome(size: size, content: content, info: settled ? before : after, cacheEntry: cacheEntry,
                           chunksReused: reused, changedWhileRead: !settled)
        }
        preconditionFailure("the last attempt returns")
    }

    /// How many times a file that keeps changing is read before its last read is stored as it is.
    static let attempts = 2

    /// One pass over the file from its start: its chunks sealed and queued (or reused from `previous`).
    private func readChunks(_ fd: Int32, path: LocalPath, sizeHint: UInt64, previous: PreviousChunks, attempt: Int) async throws
        -> (refs: [ChunkRef], size: UInt64, reused: Int)
    {
        var reader = ChunkReader(fd: fd, chunker: chunker, sizeHint: Int(clamping: sizeHint))
        var refs: [ChunkRef] = []
        var size: UInt64 = 0
        let convergence = keys.convergence
        var reused = 0
        while true {
            try Task.checkCancellation()  // a failed backup stops reading at once, even in the middle of a large file
            let next: (ref: ChunkRef, bytes: [UInt8]?)?
            do {
                try await reader.fillOnReadThread()
                next = try reader.withNextChunk { chunk in
                    let key = ChunkBlock.key(for: chunk, convergenceKey: convergence)
                    if let ref = previous.ref(forKey: key, length: chunk.count) { return (ref, nil) }
                    let sealed = try ChunkBlock.seal(chunk, chunkKey: key, format: chunkFormat)
                    return (sealed.ref, sealed.bytes)
                }
            } catch let error as BackupError where error.code == .io {
                throw FileSystemError(description: "cannot read \(path): \(error.message)")
            }
            guard let (ref, bytes) = next else { break }
            if let bytes {
                try await uploader.add(id: ref.blockID, bytes: bytes)
            } else {
                reused += 1
            }
            refs.append(ref)
            size += UInt64(ref.length)
            if attempt == 0 { progress?.add(bytes: ref.length) }
            afterChunk?(attempt)
        }
        return (refs, size, reused)
    }

    /// The tree entry content for a file of these chunks: nothing, the chunks inline, or a sealed and queued manifest.
    func content(of refs: [ChunkRef], size: UInt64) async throws -> TreeEntry.Content {
        if refs.isEmpty { return .none }
        if refs.count <= 1 { return .inline(refs) }
        let manifest = try FileManifest(size: size, chunks: refs).seal(keys: keys)
        try await uploader.add(id: manifest.id, bytes: manifest.bytes)
        return .manifest(id: manifest.id, sessionKey: manifest.sessionKey)
    }

    /// The previous version's chunks the ring still holds; empty if there is none or anything about it fails: then every
    /// chunk is sealed, as on a first backup. Inline chunks were confirmed with the ring when the cache was loaded
    /// (`CachedBlockCheck`); a manifest's chunks are fetched and confirmed here, in one have-blocks request.
    func previousChunks(of content: TreeEntry.Content?) async -> PreviousChunks {
        switch content {
        case .inline(let refs):
            return PreviousChunks(refs, present: refs.map { _ in true })
        case .manifest(let id, let sessionKey):
            guard let fetcher, let bytes = try? await fetcher.fetch(id, what: "a previous manifest"),
                var refs = try? FileManifest.open(bytes, sessionKey: sessionKey).chunks
            else { return PreviousChunks() }
            if refs.count > 1 << 16 { refs = Array(refs.prefix(1 << 16)) }  // the have-blocks batch limit; enough for 64 GiB
            guard let present = try? await fetcher.client.haveBlocks(refs.map(\.blockID), leasing: uploader.leasing) else {
                return PreviousChunks()
            }
            return PreviousChunks(refs, present: present)
        default:
            return PreviousChunks()
        }
    }
}
