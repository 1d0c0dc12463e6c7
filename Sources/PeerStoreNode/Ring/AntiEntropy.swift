import BlockStore
import ChordRing
import Logging
import Metrics
import NIOCore
import PeerStoreConcurrency
import PeerStoreModel
import PeerStoreWire

/// Repairs replicas without anyone asking: every round, a node takes the blocks, records and inboxes of the range it
/// owns, (predecessor, me], asks each of its replica targets which blocks and inbox entries they lack (have-blocks,
/// batched; an inbox listing), and copies what is missing, a few at a time, so that a backup running meanwhile is not
/// starved. Records it keeps but no longer holds go to their holders (`AntiEntropy+Misplaced`). After a node fails,
/// its successors become replica targets and receive copies within a round or two.
public struct AntiEntropy: Sendable {
    public let store: BlockStore
    public let replicator: Replicator
    public let interval: Duration
    let logger: Logger
    /// Copies in flight at once per round.
    let pace = 4
    /// Where the repair metrics go (nil: the process's bootstrapped backend).
    let metrics: (any MetricsFactory)?
    /// Where each round's findings are told, for the node's status.
    let activity: ActivityLog

    public init(store: BlockStore, replicator: Replicator, interval: Duration, logger: Logger, metrics: (any MetricsFactory)? = nil,
                activity: ActivityLog = ActivityLog()) {
        self.activity = activity
        self.store = store
        self.replicator = replicator
        self.interval = interval
        self.logger = logger
        self.metrics = metrics
    }

    /// Runs rounds until cancelled.
    public func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { return }
            let started = ContinuousClock.now
            let copied = await round()
            RepairMetrics.round(copies: copied, after: ContinuousClock.now - started, factory: metrics ?? MetricsSystem.factory)
            if copied > 0 { logger.info("anti-entropy restored replicas", metadata: ["copies": "\(copied)"]) }
        }
    }

    /// One round; returns how many copies were sent.
    @discardableResult
    public func round() async -> Int {
        let ring = replicator.ring
        guard await ring.isJoined, !(await ring.isAlone), let predecessor = await ring.predecessor else { return 0 }
        let me = ring.me.id
        let owned = store.blockIDs().filter { $0.isBetweenRightInclusive(predecessor.id, me) }
        let allRecords = store.allRecords()
        let records = allRecords.filter { $0.key.isBetweenRightInclusive(predecessor.id, me) }
        let ownedInboxes = inboxes(in: predecessor.id, me)
        var copied = await pullOwnedRange(predecessor: predecessor)
        var deficit = ReplicaDeficit()
        for target in await replicator.replicaTargets() {
            let missing = await lacking(owned, at: target) ?? []
            let sent = await copy(missing, to: target)
            deficit.add(missing: missing.count, sent: sent)
            copied += sent
            await pushRecords(records, to: target)
            for inbox in ownedInboxes { copied += await push(inbox, to: target) }
        }
        await pushMisplaced(allRecords.filter { !$0.key.isBetweenRightInclusive(predecessor.id, me) })
        RepairMetrics.deficit(deficit, factory: metrics ?? MetricsSystem.factory)
        activity.repaired(deficit)
        return copied
    }

    /// Pushes to `target` the owned records it lacks or holds older: asks their seqs in batches first, so that a
    /// round costs a request per batch, not one per record, and sends only differences (`RecordDiff`).
    func pushRecords(_ records: [SignedRecord], to target: NodeIdentity) async {
        var start = 0
        while start < records.count {
            let batch = Array(records[start..<min(start + LeaseGrant.maxIDs, records.count)])
            start += batch.count
            let answer = try? await replicator.transport.request(.recordSeqs(keys: batch.map(\.key)), to: target.address, key: target.key)
            var seqs: [UInt64?]?
            if case .recordSeqsResult(let told)? = answer { seqs = told }
            for record in RecordDiff.toPush(batch, seqsThere: seqs) {
                _ = try? await replicator.transport.request(
                    .placedPut(role: .replica, put: .putRecord(record: record, expectedSeq: nil)), to: target.address, key: target.key)
            }
        }
    }

    /// Before a graceful leave: makes sure every replica set this node belongs to is whole without it. When it leaves,
    /// the set of a key it owned gains its k-th successor and the set of a key it kept as a replica gains one of its
    /// first k-1 successors, so owned blocks go to the first k successors and the others to the first k-1 (each only
    /// where missing; at least the first successor). Records and inboxes go to all k. Returns how
    /// many blocks were copied.
    public func handOff(within limit: Duration) async -> Int {
        let deadline = ContinuousClock.now + limit
        let ring = replicator.ring
        let me = ring.me
        let k = replicator.replicas
        let successors = Array(ReplicaSelection.distinctPhysical([me] + (await ring.successors), count: k + 1).dropFirst())
        guard !successors.isEmpty else { return 0 }
        let all = store.blockIDs()
        let owned = await ring.predecessor.map { p in all.filter { $0.isBetweenRightInclusive(p.id, me.id) } } ?? all
        var copied = 0
        for (i, target) in successors.enumerated() where ContinuousClock.now < deadline {
            guard let missing = await lacking(i < max(1, k - 1) ? all : owned, at: target) else { continue }
            copied += await copy(missing, to: target, until: deadline)
            for record in store.allRecords() where ContinuousClock.now < deadline {
                _ = try? await replicator.transport.request(
                    .placedPut(role: .replica, put: .putRecord(record: record, expectedSeq: nil)), to: target.address, key: target.key)
            }
            for inbox in inboxes(in: nil, me.id) where ContinuousClock.now < deadline {
                _ = await push(inbox, to: target)
            }
        }
        RepairMetrics.handOff(copies: copied, factory: metrics ?? MetricsSystem.factory)
        logger.info("handed the range on before leaving", metadata: ["successors": "\(successors.count)", "blocks": "\(copied)"])
        return copied
    }

    /// A node that took over a range (it joined) fetches the blocks of (predecessor, me] it lacks from its successor,
    /// which held them as owner or replica before.
    private func pullOwnedRange(predecessor: NodeIdentity) async -> Int {
        let ring = replicator.ring
        guard let successor = await ring.successors.first, successor.id != ring.me.id,
            case .rangeBlocksResult(let ids)? = try? await replicator.transport.request(
                .rangeBlocks(start: predecessor.id, end: ring.me.id), to: successor.address, key: successor.key)
        else { return 0 }
        let missing = zip(ids, store.contains(ids)).filter { !$0.1 && !store.isTombstoned($0.0) }.map(\.0)
        var pulled = 0
        for id in missing {
            guard case .block(let bytes)? = try? await replicator.transport.request(
                .placedPut(role: .local, put: .getBlock(id: id)), to: successor.address, key: successor.key),
                (try? await store.put(id: id, bytes: Array(bytes.readableBytesView))) != nil
            else { continue }
            pulled += 1
        }
        return pulled
    }

    /// The ids of `ids` that `target` does not hold (asked in batches) and did not delete (`AntiEntropy+Tombstones`);
    /// nil if it does not answer.
    private func lacking(_ ids: [Identifier], at target: NodeIdentity) async -> [Identifier]? {
        var missing: [Identifier] = []
        var start = 0
        while start < ids.count {
            let batch = Array(ids[start..<min(ids.count, start + HaveBlocksBatch.repair)])
            start += batch.count
            guard case .haveBlocksResult(let present)? = try? await replicator.transport.request(
                .haveBlocks(ids: batch), to: target.address, key: target.key), present.count == batch.count
            else { return nil }
            missing += await notDeleted(zip(batch, present).filter { !$0.1 }.map(\.0), at: target)
        }
        return missing
    }

    private func copy(_ ids: [Identifier], to target: NodeIdentity, until deadline: ContinuousClock.Instant? = nil) async -> Int {
        let store = self.store
        let transport = replicator.transport
        var done = 0
        // Only cancellation throws here (the node is stopping): the copies counted so far stand.
        try? await forEachConcurrently(ids, limit: ConcurrencyLimit(tasks: pace)) { id in
            guard let bytes = try? store.get(id: id) else { return false }
            let put = WireMessage.putBlock(id: id, bytes: ByteBuffer(bytes: bytes))
            return (try? await transport.request(.placedPut(role: .replica, put: put), to: target.address, key: target.key)) != nil
        } continueAfter: { ok in
            if ok { done += 1 }
            return deadline.map { ContinuousClock.now < $0 } ?? true
        }
        return done
    }
}
