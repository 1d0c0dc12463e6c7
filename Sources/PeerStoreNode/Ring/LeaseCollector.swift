import BlockStore
import ChordRing
import Logging
import PeerStoreModel
import PeerStoreWire

/// Deletes garbage (docs/retention.md part 2): every round the node takes the blocks of the range it owns that its
/// lease table calls garbage, asks each replica target whether a holder has a live lease on any of them there
/// (`leaseState`, nodes only), and keeps those; the rest it deletes (a tombstone, under the same lock as grants, so a
/// grant that came meanwhile keeps its block) and tells the replicas (`deleteBlocks`), which delete what they hold no
/// live lease on. A replica that does not answer keeps the whole round's blocks: nothing is deleted unconfirmed.
/// Tombstones older than twice the grace period are forgotten.
public struct LeaseCollector: Sendable {
    public let store: BlockStore
    public let replicator: Replicator
    public let settings: LeaseSettings
    let logger: Logger

    public init(store: BlockStore, replicator: Replicator, settings: LeaseSettings, logger: Logger) {
        self.store = store
        self.replicator = replicator
        self.settings = settings
        self.logger = logger
    }

    /// Runs rounds until cancelled.
    public func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: settings.collectInterval)
            if Task.isCancelled { return }
            let deleted = await round(now: store.settings.wallClock())
            if deleted > 0 { logger.info("deleted garbage blocks", metadata: ["blocks": "\(deleted)"]) }
        }
    }

    /// One round at `now`; returns how many blocks this node deleted.
    @discardableResult
    public func round(now: UInt64) async -> Int {
        store.expireTombstones(now: now, grace: settings.grace)
        let ring = replicator.ring
        guard await ring.isJoined else { return 0 }
        var owned: [Identifier] = []
        for id in store.garbage(now: now, grace: settings.grace, honourExpiry: settings.honourExpiry) where await ring.owns(id) {
            owned.append(id)
        }
        var deleted = 0
        for start in stride(from: 0, to: owned.count, by: LeaseGrant.maxIDs) {
            deleted += await collect(Array(owned[start..<min(owned.count, start + LeaseGrant.maxIDs)]), now: now)
        }
        return deleted
    }

    /// Asks the replicas about one batch, deletes what none holds a live lease on, and tells them.
    private func collect(_ batch: [Identifier], now: UInt64) async -> Int {
        let targets = await replicator.replicaTargets()
        var kept = Set<Identifier>()
        for target in targets {
            guard let reply = try? await replicator.transport.request(.leaseState(ids: batch), to: target.address, key: target.key),
                case .leaseStateResult(let live) = reply, live.count == batch.count
            else {
                logger.debug("a replica did not say its lease states; deleting nothing this round", metadata: ["replica": "\(target.address)"])
                return 0
            }
            for (id, isLive) in zip(batch, live) where isLive { kept.insert(id) }
        }
        var deleted: [Identifier] = []
        for id in batch where !kept.contains(id) {
            do {
                if try await store.deleteIfGarbage(id, now: now, grace: settings.grace, honourExpiry: settings.honourExpiry) {
                    deleted.append(id)
                }
            } catch {
                logger.warning("a garbage block could not be deleted", metadata: ["error": "\(error)"])
            }
        }
        guard !deleted.isEmpty else { return 0 }
        for target in targets {
            if (try? await replicator.transport.request(.deleteBlocks(ids: deleted), to: target.address, key: target.key)) == nil {
                logger.debug("a replica did not take a deletion; its own collector deletes the copy once it owns it",
                             metadata: ["replica": "\(target.address)"])
            }
        }
        return deleted.count
    }
}
