import ChordRing
import PeerStoreModel

extension BlockStore {
    /// Leases the blocks of `grant` that this store holds to its holder, at node time `now` (unix seconds), and says for
    /// each id whether it is held (what have-blocks answers). Only renewals that must be persisted
    /// (`LeaseTable.mustPersist`) are written, in one log entry; the call returns once that is durable. Throws
    /// `badLease` for a grant that is badly signed, expired or issued too far ahead of `now`.
    public func lease(_ grant: LeaseGrant, now: UInt64) async throws -> [Bool] {
        if let error = LeaseTable.check(grant, now: now) { throw BlockStoreError(error) }
        return try await applyLogged {
            let present = grant.ids.map { index[$0] != nil }
            let held = zip(grant.ids, present).filter(\.1).map(\.0)
            let persist = leases.apply(grant, to: held, now: now)
            let entry = persist.isEmpty
                ? nil : LeaseLogEntry.lease(holder: grant.holder, ids: persist, renewedAt: now, expiry: grant.expiry)
            return (present, entry)
        }
    }

    /// Applies the holder's signed release at `now`: ends its lease on each block it last renewed before
    /// `min(horizon, now) - B` (`LeaseTable.apply(_:now:)`). Returns how many leases ended and, per id, whether the
    /// holder still holds one (renewed since that cutoff), once that is durable.
    @discardableResult
    public func release(_ release: LeaseRelease, now: UInt64) async throws -> (ended: Int, held: [Bool]) {
        if let error = LeaseTable.check(release) { throw BlockStoreError(error) }
        return try await applyLogged {
            let ended = leases.apply(release, now: now, backupBound: settings.leaseBackupBound)
            let held = leases.held(release)
            return ((ended.count, held), ended.isEmpty ? nil : LeaseLogEntry.release(holder: release.holder, ids: ended, at: now))
        }
    }

    /// The blocks held here that are garbage at `now` (`LeaseTable.isGarbage`), in id order.
    public func garbage(now: UInt64, grace: UInt64, honourExpiry: Bool = false) -> [Identifier] {
        indexLock.lock()
        defer { indexLock.unlock() }
        return leases.garbage(now: now, grace: grace, honourExpiry: honourExpiry).filter { index[$0] != nil }
    }

    /// Deletes a block: it leaves the index at once and a tombstone is written (returns once durable), so a restart
    /// does not bring it back and anti-entropy can refuse it. Its bytes stay in their segment until compaction.
    public func delete(_ id: Identifier, now: UInt64) async throws {
        try await applyLogged { (dropFromIndex(id, at: now), LeaseLogEntry.tombstone(id: id, deletedAt: now)) }
    }

    /// Deletes the block only if it is still garbage, decided under the same lock as grants (a grant that came after
    /// the collector listed it keeps it). Returns whether it was deleted.
    public func deleteIfGarbage(_ id: Identifier, now: UInt64, grace: UInt64, honourExpiry: Bool = false) async throws -> Bool {
        try await applyLogged {
            guard index[id] != nil, leases.isGarbage(id, now: now, grace: grace, honourExpiry: honourExpiry) else {
                return (false, nil)
            }
            dropFromIndex(id, at: now)
            return (true, LeaseLogEntry.tombstone(id: id, deletedAt: now))
        }
    }

    /// For each id, whether a holder has a live lease on it here (`LeaseTable.hasLiveLease`).
    public func hasLiveLease(_ ids: [Identifier], now: UInt64, honourExpiry: Bool) -> [Bool] {
        indexLock.lock()
        defer { indexLock.unlock() }
        return ids.map { leases.hasLiveLease($0, now: now, honourExpiry: honourExpiry) }
    }

    public func isTombstoned(_ id: Identifier) -> Bool {
        indexLock.lock()
        defer { indexLock.unlock() }
        return leases.isTombstoned(id)
    }

    /// What this store keeps of a block's leases (nil: never leased, or deleted).
    public func leases(of id: Identifier) -> BlockLeases? {
        indexLock.lock()
        defer { indexLock.unlock() }
        return leases.leases(of: id)
    }

    /// A copy of the whole lease table (for tests and status; it costs a copy of every block's leases).
    public var leaseTable: LeaseTable {
        indexLock.lock()
        defer { indexLock.unlock() }
        return leases
    }

    /// Forgets tombstones older than twice `grace` (in memory; the log entries go with compaction). Returns them.
    @discardableResult
    public func expireTombstones(now: UInt64, grace: UInt64) -> [Identifier] {
        indexLock.lock()
        defer { indexLock.unlock() }
        return leases.expireTombstones(now: now, grace: grace)
    }

    // MARK: Helpers

    /// Runs `change` under the index lock and queues the log entry it returns before the lock is released, so the log
    /// holds lease changes in the order they were applied; returns its value once the entry is durable (at once when
    /// there is none). A failed write leaves memory ahead of the log until a restart: a lease then is lost only for a
    /// caller that was told the write failed; a release or deletion comes back, which keeps data.
    private func applyLogged<T>(_ change: () -> (T, LeaseLogEntry?)) async throws -> T {
        var result: T?
        _ = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<PutOutcome, Error>) in
            indexLock.lock()
            let (value, entry) = change()
            result = value
            if let entry {
                enqueue(.lease(entry, continuation))
            } else {
                continuation.resume(returning: .alreadyPresent)
            }
            indexLock.unlock()
        }
        return result!
    }

    /// Takes a block out of the index and its leases out of the table, leaving a tombstone (index lock held).
    private func dropFromIndex(_ id: Identifier, at now: UInt64) {
        if let location = index.removeValue(forKey: id) {
            blockBytes -= location.length
            usage.superseded(location)
        }
        leases.delete(id, at: now)
    }
}
