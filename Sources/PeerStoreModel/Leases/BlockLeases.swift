/// What a node keeps of one block's leases: each holder's last renewal and expiry, and when the last lease ended.
/// A block with a `BlockLeases` was leased at least once; one without never was (and is never garbage).
public struct BlockLeases: Equatable, Sendable {
    /// One holder's lease. Times are unix seconds; `renewedAt` is the node's clock when it last saw a grant.
    public struct Lease: Equatable, Sendable {
        /// The holder, interned (`HolderTable`).
        public var holder: HolderTable.Index
        public var renewedAt: UInt64
        /// The expiry as written to the log (a renewal that moves it by little is not written, nor applied).
        public var expiry: UInt64
    }

    public private(set) var leases: [Lease] = []
    /// When the last lease ended by a release (nil: none ended yet).
    public private(set) var endedAt: UInt64?

    public init() {}

    public func lease(of holder: HolderTable.Index) -> Lease? {
        leases.first { $0.holder == holder }
    }

    /// Sets the holder's lease (added if new).
    mutating func set(_ lease: Lease) {
        if let i = leases.firstIndex(where: { $0.holder == lease.holder }) {
            leases[i] = lease
        } else {
            leases.append(lease)
        }
    }

    /// Ends the holder's lease at `time`; false if it had none.
    @discardableResult
    mutating func end(_ holder: HolderTable.Index, at time: UInt64) -> Bool {
        guard let i = leases.firstIndex(where: { $0.holder == holder }) else { return false }
        leases.remove(at: i)
        endedAt = max(endedAt ?? 0, time)
        return true
    }

    /// When the block's last lease ended, as seen at `now`: nil while a lease is live. With `honourExpiry`, a lease
    /// whose expiry has passed ended at its expiry; without, only releases end leases.
    public func lastEnded(now: UInt64, honourExpiry: Bool) -> UInt64? {
        var ended = endedAt
        for lease in leases {
            guard honourExpiry, lease.expiry <= now else { return nil }
            ended = max(ended ?? 0, lease.expiry)
        }
        return ended
    }
}
