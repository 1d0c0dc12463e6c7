import ChordRing

/// Confirms with the ring that the blocks of a loaded file cache still exist, in batched have-blocks requests, and
/// drops the entries whose blocks are missing: without the file's bytes a missing block cannot be sent again, so such
/// a file counts as changed and is read.
enum CachedBlockCheck {
    static let batchSize = 1024
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
        try await withThrowingTaskGroup(of: (Range<Int>, [Bool]).self) { group in
            var next = 0
            func start() {
                let range = batches[next]
                let batch = Array(ids[range])
                next += 1
                group.addTask { (range, try await client.haveBlocks(batch)) }
            }
            while next < min(batchesInFlight, batches.count) { start() }
            while let answer = try await group.next() {
                let (range, present) = answer
                for (i, have) in zip(range, present) where !have { missing.insert(owners[i]) }
                if next < batches.count { start() }
            }
        }
        for i in missing { cache.forget(paths[i]) }
        return missing.count
    }
}
