import ChordRing

extension LeaseTable {
    /// Whether a block is garbage at `now`: it was leased at least once, no lease is live (all released, or with
    /// `honourExpiry` expired), and `grace` seconds have passed since the last one ended. A block never leased is never
    /// garbage, nor is one within the grace period.
    public func isGarbage(_ id: Identifier, now: UInt64, grace: UInt64, honourExpiry: Bool) -> Bool {
        guard let block = blocks[id], let ended = block.lastEnded(now: now, honourExpiry: honourExpiry) else { return false }
        return ended <= UInt64.max - grace && now >= ended + grace
    }

    /// Every garbage block at `now`, in id order.
    public func garbage(now: UInt64, grace: UInt64, honourExpiry: Bool) -> [Identifier] {
        blocks.keys.filter { isGarbage($0, now: now, grace: grace, honourExpiry: honourExpiry) }.sorted()
    }

    /// Whether a holder has a live lease on the block at `now`: one not released (and, with `honourExpiry`, not
    /// expired). What a replica tells the owner that asks before deleting.
    public func hasLiveLease(_ id: Identifier, now: UInt64, honourExpiry: Bool) -> Bool {
        guard let block = blocks[id] else { return false }
        return block.lastEnded(now: now, honourExpiry: honourExpiry) == nil
    }

    // MARK: Tombstones

    public func isTombstoned(_ id: Identifier) -> Bool { tombstones[id] != nil }

    /// The block was deleted at `at`: its leases go, a tombstone stays (anti-entropy must not bring it back).
    public mutating func delete(_ id: Identifier, at: UInt64) {
        blocks[id] = nil
        tombstones[id] = max(tombstones[id] ?? 0, at)
    }

    /// The block was stored again (a client backed up the same content): the tombstone goes. Its old leases went
    /// with the deletion, so it counts as never leased until a grant comes, as a fresh put does.
    public mutating func clearTombstone(_ id: Identifier) {
        tombstones[id] = nil
    }

    /// Forgets tombstones older than twice the grace period at `now`; returns the ids forgotten.
    @discardableResult
    public mutating func expireTombstones(now: UInt64, grace: UInt64) -> [Identifier] {
        let life = grace > UInt64.max / 2 ? UInt64.max : 2 * grace
        let old = tombstones.filter { $0.value <= now && now - $0.value >= life }.map(\.key)
        for id in old { tombstones[id] = nil }
        return old.sorted()
    }
}
