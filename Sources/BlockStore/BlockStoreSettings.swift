import Foundation
import PeerStoreModel

/// Settings of a block store, with defaults that suit a storage node.
public struct BlockStoreSettings: Sendable {
    /// Largest block accepted (docs/formats.md: 8 MiB).
    public var maxBlockSize: Int = 8 << 20
    /// A segment file is closed and a new one started once it would grow past this size.
    public var maxSegmentSize: Int = 256 << 20
    /// Call fdatasync before acknowledging writes. Only tests that measure the cost turn this off.
    public var syncWrites: Bool = true
    /// Verify every payload of every segment at start-up (slow on big stores); by default only the newest segment,
    /// the only one a crash can leave torn, is verified in full.
    public var verifyAllSegmentsOnOpen: Bool = false
    /// Record keys one owner may have here (a record is at most 4 KiB, so also a bound on their bytes): every record is
    /// kept in memory and pushed to the replicas, so a user who may store cannot fill a node or flood the ring with them.
    public var maxRecordsPerOwner: Int = 20_000
    /// The caps of every inbox kept here.
    public var inboxLimits: InboxLimits = .standard
    /// B: a release ends only leases renewed longer than this before its horizon (`LeaseRules.backupBound`; tests
    /// shorten it).
    public var leaseBackupBound: UInt64 = LeaseRules.backupBound
    /// The wall clock in unix seconds, read once at open: every lease counts as renewed then (`LeaseTable.assumeRenewed`).
    public var wallClock: @Sendable () -> UInt64 = { UInt64(Date().timeIntervalSince1970) }

    public init() {}
}
