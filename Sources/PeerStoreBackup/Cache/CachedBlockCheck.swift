import ChordRing
import PeerStoreConcurrency
import PeerStoreWire

/// Confirms with the ring that the blocks of a loaded file cache still exist, in batched have-blocks requests, and
/// drops the entries whose blocks are missing: without the file's bytes a missing block cannot be sent again, so such
/// a file counts as changed and is read. With `leasing`, the blocks found are leased on the way: the new snapshot will
/// name them.
enum CachedBlockCheck {
    static let batchSize = HaveBlocksBatch.cacheCheck
    static let batchesInFlight = 4

    /// Returns how many entries were dropped.
    static func dropMissing(from cache: inout FileCache, client: any RingAccess, leasing: BlockLeasing? = nil) async throws -> Int {
        let unreadable = try await learnManifestChunks(in: &cache, client: client)
        var ids: [Identifier] = []
        var owners: [Int] = []  // index into paths, one per id
        let paths = cache.paths
        ids.reserveCapacity(paths.count)
        owners.reserveCapacity(paths.count)
        for (i, path) in paths.enumerated() {
            for id in cache.entry(path: path)?.blockIDs ?? [] {
                ids.append(id)
                owners.append(i)
            }
        }
        var missing = Set<Int>()
        let batches = stride(from: 0, to: ids.count, by: batchSize).map { $0..<min($0 + batchSize, ids.count) }
        let allIDs = ids
        try await forEachConcurrently(batches, limit: batchesInFlight) { range in
            (range, try await client.haveBlocks(Array(allIDs[range]), leasing: leasing))
        } onResult: { (range, present) in
            for (i, have) in zip(range, present) where !have { missing.insert(owners[i]) }
        }
        for i in missing { cache.forget(paths[i]) }
        return missing.count + unreadable
    }

    /// A version 1 cache does not list a manifest's chunks: each such manifest is fetched (a few at once) and its
    /// chunks learned, so they are confirmed and leased like the others. An entry whose manifest cannot be read is
    /// dropped (its file is read); returns how many.
    static func learnManifestChunks(in cache: inout FileCache, client: any RingAccess) async throws -> Int {
        let unknown: [(LocalPath, Identifier, [UInt8])] = cache.paths.compactMap { path in
            guard let entry = cache.entry(path: path), entry.manifestChunks == nil, case .manifest(let id, let key) = entry.content
            else { return nil }
            return (path, id, key)
        }
        guard !unknown.isEmpty else { return 0 }
        let fetcher = BlockFetcher(client: client)
        var learned: [(LocalPath, [Identifier]?)] = []
        try await forEachConcurrently(unknown, limit: batchesInFlight * 2) { (path, id, key) in
            // A manifest that cannot be had drops its entry (the file is read); a cancelled backup stops.
            do {
                return (path, try FileManifest.open(try await fetcher.fetch(id, what: "a file's manifest"), sessionKey: key).chunks.map(\.blockID))
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                return (path, nil)
            }
        } onResult: { learned.append($0) }
        var dropped = 0
        for (path, chunks) in learned {
            if let chunks {
                cache.learn(manifestChunks: chunks, for: path)
            } else {
                cache.forget(path)
                dropped += 1
            }
        }
        return dropped
    }
}
