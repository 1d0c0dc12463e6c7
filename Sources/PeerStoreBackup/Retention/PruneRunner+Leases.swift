import ChordRing
import PeerStoreConcurrency

extension PruneRunner {
    /// Renews the lease of every id (have-blocks with a grant), in batches, a few at once; returns how many the ring
    /// does not hold.
    func renew(_ ids: Set<Identifier>, terms: LeaseTerms) async throws -> Int {
        let (ring, progress) = (self.ring, self.progress)
        var missing = 0
        try await forEachConcurrently(Self.batches(of: ids), limit: Self.batchesInFlight) { batch in
            (batch.count, try await ring.haveBlocks(batch, leasing: terms).filter { !$0 }.count)
        } onResult: { (count, absent) in
            missing += absent
            progress?.sent(count)
        }
        return missing
    }

    /// Releases this user's leases on `ids` with `horizon`, in batches, a few at once; returns how many leases stay
    /// (renewed within B of the horizon).
    func release(_ ids: Set<Identifier>, horizon: UInt64) async throws -> Int {
        let (ring, progress, keys) = (self.ring, self.progress, identity.signing)
        var held = 0
        try await forEachConcurrently(Self.batches(of: ids), limit: Self.batchesInFlight) { batch in
            (batch.count, try await ring.release(batch, horizon: horizon, signingWith: keys).filter { $0 }.count)
        } onResult: { (count, stillHeld) in
            held += stillHeld
            progress?.sent(count)
        }
        return held
    }

    /// Takes `ids` off the forgotten list of `name`'s history, publishing with compare-and-swap; on a lost one the
    /// head is read again and only `ids` are dropped from what it names now (a snapshot a backup or forget added stays).
    /// Returns how many were dropped.
    func drop(_ ids: Set<Identifier>, from name: String) async throws -> Int {
        for _ in 1...SnapshotCatalog.maxHeadAttempts {
            guard let head = try await catalog.head(device: name), head.pointer.index != nil else { return 0 }
            var index = try await catalog.index(of: head.pointer)
            let gone = Set(index.forgotten.map(\.id)).intersection(ids)
            if gone.isEmpty { return 0 }
            index.release(gone)
            if try await catalog.publish(device: name, snapshot: head.pointer.snapshot, time: head.pointer.time, index: index,
                                         previous: head.record) {
                return gone.count
            }
        }
        throw BackupError(.concurrentBackup, "the history of '\(name)' kept changing while prune took its released snapshots off the forgotten list; their blocks are released: run prune again to finish")
    }

    /// `ids` in batches of `batchSize`, made as they are taken (no second copy of the set).
    static func batches(of ids: Set<Identifier>) -> UnfoldSequence<[Identifier], Set<Identifier>.Iterator> {
        sequence(state: ids.makeIterator()) { iterator in
            var batch: [Identifier] = []
            batch.reserveCapacity(batchSize)
            while batch.count < batchSize, let id = iterator.next() { batch.append(id) }
            return batch.isEmpty ? nil : batch
        }
    }
}
