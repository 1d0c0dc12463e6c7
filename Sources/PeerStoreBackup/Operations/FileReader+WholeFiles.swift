import PeerStoreConcurrency
extension FileReader {
    /// A file to read, as the walk found it.
    struct FileToRead: Sendable {
        var path: LocalPath
        var info: FileInfo
        /// Its content at the previous backup (from the file cache), whose chunks still on the ring are reused.
        var previous: TreeEntry.Content?
    }

    /// Files at most this large (as `lstat` saw them) are read whole, in groups (`read(whole:)`).
    static let wholeFileLimit = 1 << 20
    /// A group of whole files ends at this many files or `groupBytes` bytes; it holds one read permit. Small groups
    /// spread a folder over many readers at once: the walk waits for a folder's reads before the next folder, and
    /// groups of 8 files or 256 KiB made a first backup 15-25% faster here than groups of 32 files or 1 MiB.
    static let filesPerGroup = 8
    static let groupBytes = 256 << 10

    /// Reads `files` whole, one after another on one `BlockingThreads.fileReads` thread, then seals and queues their chunks here:
    /// one thread hop and one task for the group instead of one per file. One outcome (or failure) per file, in order;
    /// a file that grew past `wholeFileLimit` since the walk saw it is read as a stream (`read(_:info:previous:)`).
    func read(whole files: [FileToRead]) async throws -> [Result<Outcome, FileSystemError>] {
        let (limit, hook) = (Self.wholeFileLimit, afterWholeRead)
        let reads = try await BlockingThreads.fileReads.run {
            files.map { file in
                Result { () throws(FileSystemError) in
                    try WholeFile.read(file.path, info: file.info, limit: limit, attempts: Self.attempts, afterRead: hook)
                }
            }
        }
        var outcomes: [Result<Outcome, FileSystemError>] = []
        outcomes.reserveCapacity(files.count)
        for (file, read) in zip(files, reads) {
            do {
                if let whole = try read.get() {
                    outcomes.append(.success(try await seal(whole, previous: file.previous)))
                } else {
                    outcomes.append(.success(try await self.read(file.path, info: file.info, previous: file.previous)))
                }
            } catch let error as FileSystemError {
                outcomes.append(.failure(error))
            }
        }
        return outcomes
    }

    /// Chunks, seals and queues a file read whole, with the cuts a streamed read of the same bytes makes.
    private func seal(_ whole: WholeFile, previous previousContent: TreeEntry.Content?) async throws -> Outcome {
        let previous = await previousChunks(of: previousContent)
        let (convergence, format) = (keys.convergence, chunkFormat)
        let chunks = try whole.bytes.withUnsafeBytes { all in
            var chunks: [(ref: ChunkRef, bytes: [UInt8]?)] = []
            var start = 0
            while start < all.count {
                let cut = chunker.cutPoint(UnsafeRawBufferPointer(rebasing: all[start...]))
                let chunk = UnsafeRawBufferPointer(rebasing: all[start..<(start + cut)])
                start += cut
                let key = ChunkBlock.key(for: chunk, convergenceKey: convergence)
                if let ref = previous.ref(forKey: key, length: chunk.count) {
                    chunks.append((ref, nil))
                } else {
                    let sealed = try ChunkBlock.seal(chunk, chunkKey: key, format: format)
                    chunks.append((sealed.ref, sealed.bytes))
                }
            }
            return chunks
        }
        for case (let ref, let bytes?) in chunks { try await uploader.add(id: ref.blockID, bytes: bytes) }
        let refs = chunks.map(\.ref)
        progress?.add(bytes: whole.bytes.count)
        let content = try await content(of: refs, size: UInt64(whole.bytes.count))
        let settled = whole.settled
        let cacheEntry = wantsCacheEntry && settled ? FileCacheEntry(info: whole.before, content: content, chunks: refs) : nil
        return Outcome(size: UInt64(whole.bytes.count), content: content, info: settled ? whole.before : whole.after,
                       cacheEntry: cacheEntry, chunksReused: chunks.count { $0.bytes == nil }, changedWhileRead: !settled)
    }
}
