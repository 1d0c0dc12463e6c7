import BlockStore
import ChordRing
import Metrics
import NIOCore
import PeerStoreModel
import PeerStoreWire

extension RingCoordinator {
    /// A block read on a live ring: from this node's store; else from the other holders, then the former holders
    /// after them. A copy here that fails its hash is dropped by the store and replaced at once by a holder's intact
    /// copy (read repair), so the damage costs neither this read nor the replica count; a copy only a former holder
    /// had is put on the ring again (to its owner, which copies it to the replicas).
    public func readBlock(_ id: Identifier) async -> WireMessage {
        var damaged: BlockStoreError?
        do {
            if let bytes = try local.store.get(id: id) { return .block(bytes: ByteBuffer(bytes: bytes)) }
        } catch let error as BlockStoreError {
            guard error.code == .corruptBlock else { return .error(WireError(error)) }
            damaged = error
        } catch {
            return .error(WireError(.internalError, "internal error: \(error)"))
        }
        guard let (bytes, fromHolder) = await intactCopyFromHolders(id) else {
            if let damaged {
                ReadRepairMetrics.repaired("block", succeeded: false, factory: metricsFactory)
                return .error(WireError(damaged))
            }
            return .error(WireError(.notFound, "block \(id.shortHex()) is not stored on the ring"))
        }
        if damaged != nil { await storeRepaired(id, bytes) }
        if !fromHolder { await placeAgain(id, bytes) }
        return .block(bytes: bytes)
    }

    /// A copy of `id` from the other holders (or the former holders after them) that hashes to its id, and whether a
    /// holder gave it; nil if none has one.
    func intactCopyFromHolders(_ id: Identifier) async -> (bytes: ByteBuffer, fromHolder: Bool)? {
        let answer = await replicator.ask(.getBlock(id: id), about: id) {
            if case .block(let bytes) = $0 { BlockID.of(Array(bytes.readableBytesView)) == id } else { false }
        }
        if let answer, case .block(let bytes) = answer.reply { return (bytes, answer.fromHolder) }
        return nil
    }

    /// Puts a block that only a former holder had back where it belongs: stored by its owner and copied to the
    /// replicas, as a client's put would be.
    private func placeAgain(_ id: Identifier, _ bytes: ByteBuffer) async {
        let reply = await put(.putBlock(id: id, bytes: bytes))
        let placed = if case .error = reply { false } else { true }
        logger.info("a block found only past its holders was placed again", metadata: ["block": "\(id.shortHex())", "placed": "\(placed)"])
        ReadRepairMetrics.repaired("block", succeeded: placed, factory: metricsFactory)
    }

    /// Stores a holder's intact copy in place of the one this node dropped as damaged, and counts the repair.
    func storeRepaired(_ id: Identifier, _ bytes: ByteBuffer) async {
        do {
            try await local.store.put(id: id, bytes: Array(bytes.readableBytesView))
            logger.warning("a damaged block was replaced from a replica", metadata: ["block": "\(id)"])
            ReadRepairMetrics.repaired("block", succeeded: true, factory: metricsFactory)
        } catch {
            logger.error("a damaged block could not be replaced", metadata: ["block": "\(id)", "error": "\(error)"])
            ReadRepairMetrics.repaired("block", succeeded: false, factory: metricsFactory)
        }
    }

    /// Every holder may have another version of a record: asks them all, and the former holders after them (the
    /// record may have been written where the ring had other nodes, as on one side of a partition), takes the highest
    /// seq, and writes it back to any holder (this node included) that answered with an older one or none (read repair).
    public func newestRecord(_ key: Identifier) async -> SignedRecord? {
        let own = local.store.record(for: key)
        var answers: [(holder: NodeIdentity, seq: UInt64?)] = []
        var best = own
        let holders = await replicator.holders(of: key)
        for (nodes, areHolders) in [(holders, true), (await replicator.formerHolders(after: holders), false)] {
            for holder in nodes where holder.id != node.id {
                guard let reply = try? await replicator.transport.request(
                    .placedPut(role: .local, put: .getRecord(key: key)), to: holder.address, key: holder.key),
                    case .recordResult(let answer) = reply
                else { continue }  // no answer: nothing to repair there now
                let r = answer.flatMap { $0.hasValidSignature && $0.key == key ? $0 : nil }
                if areHolders { answers.append((holder, r?.seq)) }
                if let r, r.seq > (best?.seq ?? 0) { best = r }
            }
        }
        guard let best else { return nil }
        if (own?.seq ?? 0) < best.seq {
            let reply = await local.handle(.putRecord(record: best, expectedSeq: nil))
            ReadRepairMetrics.repaired("record", succeeded: Self.isStored(reply), factory: metricsFactory)
        }
        for (holder, seq) in answers where (seq ?? 0) < best.seq {
            logger.debug("read repair of a stale record replica", metadata: ["holder": "\(holder.address)"])
            let reply = try? await replicator.transport.request(
                .placedPut(role: .replica, put: .putRecord(record: best, expectedSeq: nil)), to: holder.address, key: holder.key)
            ReadRepairMetrics.repaired("record", succeeded: reply.map(Self.isStored) ?? false, factory: metricsFactory)
        }
        return best
    }

    var metricsFactory: any MetricsFactory { metrics ?? MetricsSystem.factory }

    /// Whether a put's reply says it was taken (not an error).
    private static func isStored(_ reply: WireMessage) -> Bool {
        if case .putRecordResult = reply { true } else { false }
    }
}
