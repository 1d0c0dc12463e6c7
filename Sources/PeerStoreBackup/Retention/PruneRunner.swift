import ChordRing
import Foundation
import PeerStoreModel
import PeerStoreWire

/// `prune` (docs/retention.md part 5): reads every backup head and index, every sync head and the user's inbox at T0;
/// walks the retained snapshots, the sync states and the shares kept into R, the forgotten snapshots into F; renews
/// every lease of R; releases F minus R with horizon T0; and, only when every released block's lease really ended,
/// takes the released snapshots off the forgotten lists (compare-and-swap, keeping whatever a backup or forget added
/// meanwhile). A block of R that cannot be read stops it before anything is released. Memory: R and F (sets of ids)
/// plus a few trees and manifests at a time.
public struct PruneRunner: Sendable {
    /// Ids per renewal or release request, and requests in flight at once.
    public static let batchSize = HaveBlocksBatch.cacheCheck
    public static let batchesInFlight = 4

    public let catalog: SnapshotCatalog
    /// Unix seconds: T0 and the lease terms' issue time.
    public let now: @Sendable () -> UInt64
    public let progress: PruneProgress?

    public init(catalog: SnapshotCatalog, progress: PruneProgress? = nil,
                now: @escaping @Sendable () -> UInt64 = { UInt64(max(0, Date().timeIntervalSince1970)) }) {
        self.catalog = catalog
        self.progress = progress
        self.now = now
    }

    var ring: any RingAccess { catalog.client }
    var identity: Identity { catalog.identity }

    /// Prunes every backup name of the device list, and `alsoNames` (this device's, in case its registration failed);
    /// with `dryRun`, only walks and counts.
    public func run(dryRun: Bool = false, alsoNames: [String] = []) async throws -> Outcome {
        var outcome = Outcome()
        outcome.dryRun = dryRun
        outcome.horizon = now()
        progress?.enter(.reading)
        let list = try await DeviceRegistry.load(ring: ring, identity: identity, heads: catalog.heads)
        let histories = try await readHistories(Array(Set(list.allBackupNames + alsoNames)).sorted())
        outcome.heads = histories.count

        progress?.enter(.walkingRetained)
        let retained = try await walkRetained(histories, devices: list, into: &outcome)
        outcome.retainedBlocks = retained.count

        progress?.enter(.walkingForgotten)
        var forgotten = ReferenceWalk(catalog: catalog, excluding: retained, progress: progress)
        let walked = try await walkForgotten(histories, retained: retained, into: &forgotten, outcome: &outcome)
        outcome.releasedBlocks = forgotten.count
        outcome.releasedBytes = forgotten.chunkBytes
        if dryRun { return outcome }

        let terms = LeaseTerms(keys: identity.signing, issuedAt: outcome.horizon)
        progress?.enter(.renewing, toSend: retained.count)
        outcome.retainedMissing = try await renew(retained.structure, terms: terms) + renew(retained.chunks, terms: terms)
        if outcome.retainedMissing > 0 {
            outcome.notices.append("\(outcome.retainedMissing) blocks that retained snapshots need are not on the ring: run `peerstore-client -operation check`")
        }
        // Chunks first: the trees and manifests that name them are released only once every chunk's lease ended, so
        // a forgotten snapshot whose release must wait stays readable for the prune that finishes it.
        progress?.enter(.releasing, toSend: forgotten.count)
        outcome.stillHeld = try await release(forgotten.chunks, horizon: outcome.horizon)
        if outcome.stillHeld == 0 {
            outcome.stillHeld = try await release(forgotten.structure, horizon: outcome.horizon)
        } else {
            outcome.releasedBlocks = forgotten.chunks.count
        }
        // Index and sync-state pieces this home superseded (no head names them, so no walk finds them).
        if let home = catalog.heads?.home {
            outcome.retiredReleased = try await RetiredPieces(home: home).releaseDue(
                ring: ring, keys: identity.signing, keeping: retained.structure, horizon: outcome.horizon)
        }
        progress?.enter(.dropping)
        // A forgotten snapshot whose own block is gone from the ring cannot be walked again: it leaves the list.
        for (name, ids) in walked.gone where !ids.isEmpty {
            outcome.droppedSnapshots += try await drop(ids, from: name)
        }
        guard outcome.stillHeld == 0 else {
            outcome.notices.append("\(Format.count(outcome.stillHeld, "released block")) were renewed too recently for a release (within the nodes' -leaseBackupBound, 24 h by default: a backup may still be running); their forgotten snapshots stay listed: run prune again after that")
            return outcome
        }
        for (name, ids) in walked.whole where !ids.isEmpty {
            outcome.droppedSnapshots += try await drop(ids, from: name)
        }
        return outcome
    }

    /// One backup name's head and index as read at T0.
    struct History {
        var name: String
        var pointer: HeadPointer
        var index: SnapshotIndex
    }

    /// The heads and indexes of `names` (those without a head left out); one that cannot be read stops the prune.
    func readHistories(_ names: [String]) async throws -> [History] {
        var out: [History] = []
        for name in names {
            guard let head = try await catalog.head(device: name) else { continue }
            do {
                out.append(History(name: name, pointer: head.pointer, index: try await catalog.index(of: head.pointer)))
            } catch let error as BackupError {
                throw Self.stopped(error)
            }
        }
        return out
    }

    /// The error that stops a prune whose R cannot be read whole.
    static func stopped(_ error: BackupError) -> BackupError {
        BackupError(error.code, "prune stopped before releasing anything: \(error.message); run `peerstore-client -operation check` and prune again once the ring has repaired it")
    }
}
