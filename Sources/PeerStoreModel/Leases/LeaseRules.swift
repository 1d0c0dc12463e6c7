/// The fixed numbers of leases (docs/retention.md, parts 2 and 3). Times are unix seconds.
public enum LeaseRules {
    /// B: the longest a backup may run before it commits. A release ends a lease only if the holder's last renewal is
    /// older than `min(horizon, now) - backupBound`.
    public static let backupBound: UInt64 = 24 * 3600
    /// A grant issued further ahead of the node's clock than this is refused.
    public static let maxClockSkew: UInt64 = 10 * 60
    /// The lease length clients ask for.
    public static let standardLength: UInt64 = 400 * 24 * 3600
    /// A renewal is written to the log only when it moves the stored expiry by more than this fraction of the
    /// lease's length (1/8), so repeated runs write almost nothing.
    public static let persistDivisor: UInt64 = 8
    /// The grace period nodes wait after a block's last lease ended before deleting it (`-gracePeriod`): 7 days.
    public static let standardGrace: UInt64 = 7 * 24 * 3600
}
