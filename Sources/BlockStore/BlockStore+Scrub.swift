import ChordRing
import PeerStoreModel

extension BlockStore {
    /// Every block and current record held now, for a scrub pass (`ScrubPlan` orders them).
    public func scrubTargets() -> [ScrubTarget] {
        indexLock.lock()
        defer { indexLock.unlock() }
        var targets: [ScrubTarget] = []
        targets.reserveCapacity(index.count + recordLocations.count)
        for (id, at) in index {
            targets.append(ScrubTarget(kind: .block, key: id, segment: at.segment, offset: at.offset, length: at.length))
        }
        for (key, at) in recordLocations {
            targets.append(ScrubTarget(kind: .record, key: key, segment: at.segment, offset: at.offset, length: at.length))
        }
        return targets
    }

    /// Reads the target's copy where it lies now and checks it: a block against its id (BLAKE2b-256), a record by its
    /// signature. A damaged copy is dropped as a read drops one (a drop entry keeps it dropped after a restart), so
    /// that anti-entropy or read repair brings it back from a replica. Holds the compaction lock meanwhile (one entry:
    /// a compaction never moves it under the scrubber). Throws `closed` once the store closes, `io` if it cannot read.
    public func scrub(_ target: ScrubTarget) throws -> ScrubFinding {
        compactionLock.lock()
        defer { compactionLock.unlock() }
        guard !isClosing else { throw BlockStoreError(.closed, "the block store is shutting down; scrubbing stopped") }
        indexLock.lock()
        let location = target.kind == .block ? index[target.key] : recordLocations[target.key]
        let file = location.flatMap { segments[$0.segment] }
        indexLock.unlock()
        guard let location, let file else { return .absent }
        let bytes = try file.read(at: location.offset, count: location.length)
        let intact: Bool
        switch target.kind {
        case .block:
            intact = StoredBlockCheck.full(bytes, id: target.key, at: location)
        case .record:
            let record = bytes.count == location.length ? try? SignedRecord.decode(bytes) : nil
            intact = record.map { $0.key == target.key && $0.hasValidSignature } ?? false
        }
        guard !intact else { return .intact(bytes: bytes.count) }
        let dropped = target.kind == .block ? dropBlock(target.key, at: location) : dropRecord(target.key, at: location)
        logger.debug("scrub found a damaged copy", metadata: [
            "kind": "\(target.kind.rawValue)", "key": "\(target.key)", "dropped": "\(dropped)"])
        return .damaged(bytes: bytes.count, dropped: dropped)
    }

    /// Drops the record of `key` stored at `location`, if it is still the current one; returns whether it did.
    func dropRecord(_ key: Identifier, at location: LogLocation) -> Bool {
        indexLock.lock()
        defer { indexLock.unlock() }
        guard recordLocations[key] == location else { return false }
        if let owner = records[key]?.ownerKey, let n = recordsPerOwner[owner] { recordsPerOwner[owner] = n > 1 ? n - 1 : nil }
        records[key] = nil
        recordLocations[key] = nil
        usage.superseded(location)
        // As for blocks: queued under the lock, so a good copy put after this lands after the drop in the log.
        enqueue(.drop(DropEntry(key: key, segment: location.segment, offset: location.offset)))
        return true
    }
}
