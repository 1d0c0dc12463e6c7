import ChordRing
import Foundation
import PeerStoreModel
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// A client for prune tests on an `InMemoryRing` with a short B: backups of text files (each backup writes the files
/// it is given), the device registered as a backup does, and the lease of every block the ring holds.
struct PruneFixture {
    static let bound: UInt64 = 60
    let c: InMemoryClient

    init(prefix: String) async throws {
        c = try InMemoryClient(prefix: prefix)
        try FileManager.default.createDirectory(atPath: c.src, withIntermediateDirectories: true)
        await c.ring.setLeaseBackupBound(Self.bound)
    }

    var ring: InMemoryRing { c.ring }

    /// Writes `files` (name: text) into the source folder, backs up, registers the device; the snapshot id.
    @discardableResult
    func backup(_ files: [String: String]) async throws -> Identifier {
        for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: c.src + "/" + name)) }
        let id = try await c.backup().snapshotID
        try await DeviceRegistry.recordBackup(ring: c.ring, identity: c.identity, home: c.home, device: c.device)
        return id
    }

    var terms: LeaseTerms {
        get async { LeaseTerms(keys: c.identity.signing, issuedAt: await ring.now) }
    }

    /// In-process backups do not lease their blocks yet (the uploader will): leases every block the ring holds, as
    /// those backups will have, so that what prune releases can become garbage.
    func leaseEverything() async throws {
        _ = try await ring.lease(await ring.blockIDs, terms: await terms)
    }

    func forget(keepLast n: Int, device: String? = nil) async throws {
        _ = try await ForgetRunner(catalog: c.catalog()).run(device: device ?? c.device, policy: RetentionPolicy(last: n), dryRun: false)
    }

    /// A prune at the ring's clock.
    func prune(dryRun: Bool = false, on other: (any RingAccess)? = nil) async throws -> PruneRunner.Outcome {
        let now = await ring.now
        let catalog = SnapshotCatalog(client: other ?? ring, identity: c.identity, heads: HeadMemory(home: c.home))
        return try await PruneRunner(catalog: catalog, now: { now }).run(dryRun: dryRun)
    }

    /// Every block a snapshot needs.
    func blocks(of id: Identifier) async throws -> Set<Identifier> {
        let catalog = c.catalog()
        return Set(try await ReplicaCheck(catalog: catalog).blockIDs(snapshotID: id, snapshot: try await catalog.snapshot(id)))
    }

    /// The device's index now.
    func index(_ device: String? = nil) async throws -> SnapshotIndex {
        let catalog = c.catalog()
        return try await catalog.index(of: try #require(try await catalog.head(device: device ?? c.device)).pointer)
    }

    /// Restores the latest snapshot and returns the differences from the source folder.
    func restoreDifferences(_ name: String = "out") async throws -> [String] {
        let out = c.tmp.sub(name)
        let summary = try await c.restore(to: out)
        return summary.failed.map { "failed: \($0)" } + TreeComparison.differences(c.src, out)
    }
}

extension InMemoryRing {
    /// `collectGarbage`, less the superseded snapshot-index and sync-state pieces it also deletes (a home releases
    /// those it retired, `RetiredPieces`): what a test that counts file data and snapshots compares.
    func collectContent(grace: UInt64) async -> Set<Identifier> {
        var pieces = Set<Identifier>()
        for id in blockIDs {
            if let kind = bytes(of: id).map({ $0.count > 1 ? $0[1] : 0 }),
                kind == SealedObject.Kind.snapshotIndex.rawValue || kind == SealedObject.Kind.syncState.rawValue
            {
                pieces.insert(id)
            }
        }
        return Set(collectGarbage(grace: grace)).subtracting(pieces)
    }
}
