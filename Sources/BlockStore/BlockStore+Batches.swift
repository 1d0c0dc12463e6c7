import ChordRing

extension BlockStore {
    /// Stores many blocks at once with the checks of `put(id:bytes:)`, every one in the same group commit; returns once
    /// all are durable, one outcome per block in order. Throws the first block's error (too large, wrong id) before any
    /// is stored.
    public func put(blocks: [(Identifier, [UInt8])]) async throws -> [PutOutcome] {
        var fresh: [(Identifier, [UInt8])] = []
        var isFresh = [Bool]()
        isFresh.reserveCapacity(blocks.count)
        for (id, bytes) in blocks {
            try checkSize(bytes)
            let held = contains(id)
            if !held {
                try checkID(id, of: bytes)
                fresh.append((id, bytes))
            }
            isFresh.append(!held)
        }
        guard !fresh.isEmpty else { return blocks.map { _ in .alreadyPresent } }
        let started = ContinuousClock.now
        var outcomes = try await withCheckedThrowingContinuation { continuation in
            enqueue(.blocks(fresh, continuation))
        }.makeIterator()
        let result = isFresh.map { $0 ? outcomes.next()! : .alreadyPresent }
        let elapsed = ContinuousClock.now - started
        for (outcome, (_, bytes)) in zip(result, blocks) { recordStored(outcome, bytes: bytes.count, after: elapsed) }
        return result
    }
}
