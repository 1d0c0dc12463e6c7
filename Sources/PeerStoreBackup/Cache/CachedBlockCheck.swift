import ChordRing
import PeerStoreConcurrency
import PeerStoreWire

/// Confirms with the ring that the blocks of a loaded file cache still exist, in batched have-blocks requests, and
/// drops the entries whose blocks are missing: without the file's bytes a missing block cannot be sent again, so such
/// a file counts as changed and is read.
enum CachedBlockCheck {
    static let batchSize = HaveBlocksBatch.cacheCheck
    static let batchesInFlight = 4

    /// Returns how many entries were dropped.
    static func dropMissing(from cache: inout FileCache, client: any RingAccess) async throws -> Int {
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
            (range, try await client.haveBlocks(Array(allIDs[range])))
        } onResult: { (range, present) in
            for (i, have) in zip(range, present) where !have { missing.insert(owners[i]) }
        }
        for i in missing { cache.forget(paths[i]) }
        return missing.count
    }
}
