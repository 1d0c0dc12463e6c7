import ChordRing
import Foundation

/// `forget`: applies a retention policy to one backup name's snapshot index and, unless it is a dry run, publishes
/// the index without the snapshots the policy does not keep (they move to its forgotten list, for a later prune).
/// The head is moved with compare-and-swap; when a backup of the same name moved it meanwhile, the policy is applied
/// again to the new index (the new snapshot included) and the move tried again, so no snapshot is lost.
public struct ForgetRunner: Sendable {
    public let catalog: SnapshotCatalog
    public let timeZone: TimeZone
    /// The time a forgotten snapshot is recorded as forgotten at (ns since 1970).
    public let now: @Sendable () -> Int64

    public init(catalog: SnapshotCatalog, timeZone: TimeZone = .current,
                now: @escaping @Sendable () -> Int64 = { Timestamp.nowNanoseconds() }) {
        self.catalog = catalog
        self.timeZone = timeZone
        self.now = now
    }

    /// What a forget decided (and, unless a dry run, did).
    public struct Outcome: Sendable {
        public var device: String
        /// Newest first, every retained snapshot with the rules that keep it (none: it goes).
        public var decisions: [RetentionPolicy.Decision]
        /// Whether a new index was published.
        public var written: Bool
        public var kept: [RetentionPolicy.Decision] { decisions.filter(\.kept) }
        public var removed: [RetentionPolicy.Decision] { decisions.filter { !$0.kept } }
    }

    /// What `policy` would do to `device`'s history, without changing it.
    public func plan(device: String, policy: RetentionPolicy) async throws -> Outcome {
        try await run(device: device, policy: policy, dryRun: true)
    }

    /// What `policy` decides for the `retained` snapshots (newest first) of a history whose head names `head`: the
    /// head's snapshot always stays (it is the newest unless a clock went back between backups).
    public static func decisions(_ policy: RetentionPolicy, retained: [SnapshotIndex.Entry], head: Identifier, timeZone: TimeZone) throws
        -> [RetentionPolicy.Decision]
    {
        var decisions = try policy.apply(to: retained, timeZone: timeZone)
        if let i = decisions.firstIndex(where: { $0.entry.id == head && !$0.kept }) {
            decisions[i].reasons = ["latest snapshot"]
        }
        return decisions
    }

    public func run(device: String, policy: RetentionPolicy, dryRun: Bool) async throws -> Outcome {
        try policy.check()
        for _ in 1...SnapshotCatalog.maxHeadAttempts {
            guard let head = try await catalog.head(device: device) else {
                throw BackupError(.noSnapshot, "no backup of device '\(device)' on this ring yet: nothing to forget")
            }
            var index = try await catalog.index(of: head.pointer)
            let decisions = try Self.decisions(policy, retained: index.retained, head: head.pointer.snapshot, timeZone: timeZone)
            let gone = Set(decisions.filter { !$0.kept }.map(\.entry.id))
            var outcome = Outcome(device: device, decisions: decisions, written: false)
            if dryRun || gone.isEmpty { return outcome }
            index.forget(gone, at: now())
            if try await catalog.publish(device: device, snapshot: head.pointer.snapshot, time: head.pointer.time, index: index,
                                         previous: head.record) {
                outcome.written = true
                return outcome
            }
        }
        throw BackupError(.concurrentBackup, "the history of device '\(device)' kept changing while forget ran; nothing was forgotten: run it again")
    }
}
