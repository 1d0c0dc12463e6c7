import ChordRing
import PeerStoreCrypto

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads one regular file for a backup: cuts it into chunks, seals each chunk (and a manifest when the file has more
/// than one), and queues the blocks with the uploader. Several run at once, one per file, each on its own task.
struct FileReader: Sendable {
    /// What reading a file gave.
    struct Outcome: Sendable {
        var size: UInt64
        var content: TreeEntry.Content
        /// Set when the file did not change while it was read, so the next backup may reuse the content unread.
        var cacheEntry: FileCacheEntry?
    }

    let chunker: FastCDC
    let keys: KeyRing
    let uploader: BlockUploader
    let progress: TransferProgress?
    /// Whether to check, after reading, that the file is still as `lstat` described it (only needed for a cache).
    let wantsCacheEntry: Bool

    /// Permits of `FileReadLimit` for all reading: up to 16 small files, or 2 large ones (plus 4 small), at once.
    static let permits = 16
    /// A file larger than one chunk takes 6 permits: it holds a full chunk buffer and keeps a core busy sealing.
    func permits(forSize size: UInt64) -> Int { size > UInt64(chunker.settings.maxSize) ? 6 : 1 }

    func read(_ path: String, info: FileInfo) async throws -> Outcome {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw FileSystemError.last("cannot open", path) }
        defer { close(fd) }
        if info.size > UInt64(chunker.settings.maxSize) { _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL)) }
        var reader = ChunkReader(fd: fd, chunker: chunker, sizeHint: Int(clamping: info.size))
        var refs: [ChunkRef] = []
        var size: UInt64 = 0
        let convergence = keys.convergence
        while true {
            let sealed: ChunkBlock.Sealed?
            do {
                sealed = try reader.withNextChunk { try ChunkBlock.seal($0, convergenceKey: convergence) }
            } catch let error as BackupError where error.code == .io {
                throw FileSystemError(description: "cannot read \(path): \(error.message)")
            }
            guard let sealed else { break }
            try await uploader.add(id: sealed.ref.blockID, bytes: sealed.bytes)
            refs.append(sealed.ref)
            size += UInt64(sealed.ref.length)
            progress?.add(bytes: sealed.ref.length)
        }
        let content: TreeEntry.Content
        if refs.isEmpty {
            content = .none
        } else if refs.count <= 1 {
            content = .inline(refs)
        } else {
            let manifest = try FileManifest(size: size, chunks: refs).seal(keys: keys)
            try await uploader.add(id: manifest.id, bytes: manifest.bytes)
            content = .manifest(id: manifest.id, sessionKey: manifest.sessionKey)
        }
        // Cached only if the file did not change while it was read: what was read is what the metadata describes.
        var cacheEntry: FileCacheEntry?
        if wantsCacheEntry, size == info.size, let after = try? FileInfo.fstat(fd, path: path) {
            let entry = FileCacheEntry(info: info, content: content)
            if entry.matches(after) { cacheEntry = entry }
        }
        return Outcome(size: size, content: content, cacheEntry: cacheEntry)
    }
}
