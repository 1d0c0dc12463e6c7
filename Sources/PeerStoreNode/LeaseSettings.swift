import PeerStoreModel

/// How a node collects garbage (docs/retention.md part 2): the grace period after a block's last lease ended, whether
/// expired leases count as ended (`-expireLeases`, off by default as in Tahoe-LAFS), and B for releases.
public struct LeaseSettings: Sendable, Equatable {
    /// Seconds a block stays after its last lease ended (`-gracePeriod`, default 7 days).
    public var grace: UInt64 = LeaseRules.standardGrace
    /// Whether a lease past its expiry has ended (`-expireLeases`); without it only releases end leases.
    public var honourExpiry = false
    /// B: a release ends only leases renewed longer than this before its horizon (`-leaseBackupBound`; tests shorten it).
    public var backupBound: UInt64 = LeaseRules.backupBound

    public init() {}

    /// How often the collector looks for garbage: a quarter of the grace period, between 0.25 s and a minute.
    public var collectInterval: Duration {
        .milliseconds(Int64(min(60_000, max(250, grace * 250))))
    }
}
