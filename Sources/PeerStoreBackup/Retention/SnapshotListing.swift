import ChordRing
import Foundation

/// What `snapshots` shows: the newest snapshots of a backup name with their bodies, and, with a policy, the ids the
/// next `forget` would drop.
public struct SnapshotListing: Sendable {
    /// Newest first, at most the limit asked for.
    public var rows: [(id: Identifier, snapshot: Snapshot)]
    /// How many snapshots the history retains (shown or not).
    public var total: Int
    /// The retained snapshots the policy would forget (empty without a policy).
    public var going: Set<Identifier>

    public static let defaultLimit = 1000

    /// The newest `limit` snapshots of `device` with their bodies (fetched a few at once), and with `policy` what
    /// forget would drop: `ForgetRunner.decisions` over the whole index, ids and times from the index.
    public static func read(catalog: SnapshotCatalog, device: String, policy: RetentionPolicy?, limit: Int = defaultLimit,
                            timeZone: TimeZone = .current) async throws -> SnapshotListing {
        guard let head = try await catalog.head(device: device) else { return SnapshotListing(rows: [], total: 0, going: []) }
        let retained = try await catalog.index(of: head.pointer).retained
        let going = try policy.map { policy in
            Set(try ForgetRunner.decisions(policy, retained: retained, head: head.pointer.snapshot, timeZone: timeZone)
                .filter { !$0.kept }.map(\.entry.id))
        } ?? []
        let shown = retained.prefix(limit).map(\.id)
        let bodies = try await catalog.snapshots(shown)
        return SnapshotListing(rows: Array(zip(shown, bodies)).map { (id: $0.0, snapshot: $0.1) }, total: retained.count, going: going)
    }
}
