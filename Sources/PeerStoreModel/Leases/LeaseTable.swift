import ChordRing

/// The leases a node holds, per block, and its tombstones: a pure value (the clock is passed in), so the store, the
/// in-memory ring and the tests all decide with it. docs/retention.md parts 2 and 3 give the rules.
///
/// - A grant leases blocks to its holder until its expiry and records when the node saw it (`renewedAt`).
/// - A release ends the holder's lease only where that renewal is older than `min(horizon, now) - B`.
/// - A block is garbage when it was leased once, no lease is live, and the grace period has passed since the last
///   lease ended (`isGarbage`, `garbage`, in LeaseTable+Garbage.swift).
/// - A deleted block leaves a tombstone until twice the grace period has passed.
public struct LeaseTable: Equatable, Sendable {
    public private(set) var holders = HolderTable()
    public internal(set) var blocks: [Identifier: BlockLeases] = [:]
    /// Deleted blocks and when they were deleted.
    public internal(set) var tombstones: [Identifier: UInt64] = [:]

    public init() {}

    public func leases(of id: Identifier) -> BlockLeases? { blocks[id] }

    /// Whether the block was ever leased (and not deleted since).
    public func wasLeased(_ id: Identifier) -> Bool { blocks[id] != nil }

    // MARK: Grants

    /// Whether a grant may be applied at `now`: signed by its holder, issued at most `LeaseRules.maxClockSkew` ahead
    /// of the node's clock, not expired.
    public static func check(_ grant: LeaseGrant, now: UInt64) -> ModelError? {
        guard grant.hasValidSignature else {
            return ModelError(.badLease, "the lease grant is not signed by its holder key")
        }
        guard grant.issuedAt <= now &+ LeaseRules.maxClockSkew else {
            return ModelError(.badLease, "the lease grant is issued more than \(LeaseRules.maxClockSkew / 60) minutes ahead of the node's clock: set this machine's clock right")
        }
        guard grant.expiry > now else { return ModelError(.badLease, "the lease grant has expired already; grant a longer lease") }
        return nil
    }

    /// Whether a renewal to `asked` must be written to the log: a new lease always; an existing one only when it moves
    /// the stored expiry by more than 1/8 of the lease's length (`LeaseRules.persistDivisor`).
    public static func mustPersist(stored: UInt64?, asked: UInt64, length: UInt64) -> Bool {
        guard let stored else { return true }
        return asked > stored && asked - stored > length / LeaseRules.persistDivisor
    }

    /// Applies a checked grant to `ids` (the ones this node holds, out of the grant's) at `now`. Every lease's renewal
    /// time becomes `now`; the expiry moves only where the renewal must be persisted. Returns those ids: the caller
    /// logs them (`restore(holder:ids:renewedAt:expiry:)` replays that entry).
    public mutating func apply(_ grant: LeaseGrant, to ids: [Identifier], now: UInt64) -> [Identifier] {
        guard !ids.isEmpty else { return [] }  // a grant on nothing held here interns no holder
        let holder = holders.intern(grant.holder)
        var persist: [Identifier] = []
        for id in ids {
            let stored = blocks[id]?.lease(of: holder)
            var lease = stored ?? BlockLeases.Lease(holder: holder, renewedAt: now, expiry: grant.expiry)
            lease.renewedAt = max(lease.renewedAt, now)
            if Self.mustPersist(stored: stored?.expiry, asked: grant.expiry, length: grant.length) {
                lease.expiry = max(lease.expiry, grant.expiry)
                persist.append(id)
            }
            blocks[id, default: BlockLeases()].set(lease)  // in place: no copy of the block's leases
        }
        return persist
    }

    /// Replays a logged lease entry.
    public mutating func restore(holder key: [UInt8], ids: [Identifier], renewedAt: UInt64, expiry: UInt64) {
        let holder = holders.intern(key)
        for id in ids {
            var block = blocks[id] ?? BlockLeases()
            var lease = block.lease(of: holder) ?? BlockLeases.Lease(holder: holder, renewedAt: renewedAt, expiry: expiry)
            lease.renewedAt = max(lease.renewedAt, renewedAt)
            lease.expiry = max(lease.expiry, expiry)
            block.set(lease)
            blocks[id] = block
        }
    }

    /// After a restart: renewals the log did not keep (those that moved the expiry by little) are unknown, so every
    /// lease counts as renewed at `now`. A release then ends none of them for B (a prune must release again later):
    /// the safe side of the race in docs/retention.md part 3.
    public mutating func assumeRenewed(at now: UInt64) {
        for id in Array(blocks.keys) {
            var block = blocks[id]!
            for var lease in block.leases where lease.renewedAt < now {
                lease.renewedAt = now
                block.set(lease)
            }
            blocks[id] = block
        }
    }

    // MARK: Releases

    /// Whether a release may be applied: signed by its holder.
    public static func check(_ release: LeaseRelease) -> ModelError? {
        release.hasValidSignature ? nil : ModelError(.badLease, "the lease release is not signed by its holder key")
    }

    /// The renewal time before which a release with `horizon`, arriving at `now`, ends a lease: `min(horizon, now) - B`.
    public static func releaseCutoff(horizon: UInt64, now: UInt64, backupBound: UInt64 = LeaseRules.backupBound) -> UInt64 {
        let seen = min(horizon, now)
        return seen > backupBound ? seen - backupBound : 0
    }

    /// Applies a checked release at `now`: ends the holder's lease on each id it last renewed before the cutoff
    /// (`releaseCutoff`); a lease renewed since stays, as it belongs to a backup the prune could not see. Returns the ids
    /// whose lease ended: the caller logs them (`restore(release:ids:at:)` replays that entry).
    public mutating func apply(_ release: LeaseRelease, now: UInt64, backupBound: UInt64 = LeaseRules.backupBound) -> [Identifier] {
        guard let holder = holders.index(of: release.holder) else { return [] }
        let cutoff = Self.releaseCutoff(horizon: release.horizon, now: now, backupBound: backupBound)
        var ended: [Identifier] = []
        for id in release.ids {
            guard var block = blocks[id], let lease = block.lease(of: holder), lease.renewedAt < cutoff else { continue }
            block.end(holder, at: now)
            blocks[id] = block
            ended.append(id)
        }
        return ended
    }

    /// For each of the release's ids, whether its holder still holds a lease on it (after applying it: one renewed
    /// since its cutoff). A prune takes a forgotten snapshot off its history only when no lease stayed.
    public func held(_ release: LeaseRelease) -> [Bool] {
        guard let holder = holders.index(of: release.holder) else { return release.ids.map { _ in false } }
        return release.ids.map { blocks[$0]?.lease(of: holder) != nil }
    }

    /// Replays a logged release: the holder's leases on `ids` ended at `at`.
    public mutating func restore(releaseOf key: [UInt8], ids: [Identifier], at: UInt64) {
        guard let holder = holders.index(of: key) else { return }
        for id in ids {
            guard var block = blocks[id] else { continue }
            block.end(holder, at: at)
            blocks[id] = block
        }
    }
}
