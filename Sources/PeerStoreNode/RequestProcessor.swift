import BlockStore
import ChordRing
import Logging
import NIOCore
import PeerStoreModel
import PeerStoreWire

/// Answers one request of wire v1 against the node's store. Knows nothing of sockets.
///
/// Placement is asked "who keeps this id?" before storing: on a ring of one the answer is always this node; the live
/// ring will forward what another node owns, here, without touching the store or the wire.
public struct RequestProcessor: Sendable {
    public let store: BlockStore
    public let placement: any Placement
    public let node: NodeIdentity
    /// With a list, only these users may store (nodes always may).
    public let allowedUsers: Set<[UInt8]>?
    /// The live ring this node takes part in, if any.
    public let ring: RingService?
    public let replicator: Replicator?
    let logger: Logger

    public init(store: BlockStore, placement: any Placement, node: NodeIdentity, allowedUsers: Set<[UInt8]>? = nil,
                replicator: Replicator? = nil, logger: Logger) {
        self.store = store
        self.placement = placement
        self.node = node
        self.allowedUsers = allowedUsers
        self.ring = replicator?.ring
        self.replicator = replicator
        self.logger = logger
    }

    public func handle(_ envelope: Envelope, from peer: Peer = Peer(key: nil, kind: .user)) async -> Envelope {
        Envelope(requestID: envelope.requestID, message: await handle(envelope.message, from: peer))
    }

    /// Whether `peer` may store blocks and records here.
    public func mayStore(_ peer: Peer) -> Bool {
        guard let allowedUsers else { return true }
        if peer.kind == .node { return true }
        return peer.key.map { allowedUsers.contains($0) } ?? false
    }

    public func handle(_ message: WireMessage, from peer: Peer = Peer(key: nil, kind: .user)) async -> WireMessage {
        if let replicator, let routed = await route(message, from: peer, replicator) { return routed }
        return await handleLocally(message, from: peer)
    }

    /// Answers from this node's own store, without the ring.
    func handleLocally(_ message: WireMessage, from peer: Peer) async -> WireMessage {
        do {
            switch message {
            case .putBlock, .putRecord:
                guard mayStore(peer) else {
                    return .error(WireError(.forbidden, "this node does not let your user id store (it is not in -allowUsers)"))
                }
            default:
                break
            }
            switch message {
            case .ping:
                return .pong(nodeID: node.id)
            case .putBlock(let id, let bytes):
                if replicator == nil { try requireOwnership(of: id) }
                let outcome = try await store.put(id: id, bytes: Array(bytes.readableBytesView))
                return .putBlockResult(stored: outcome == .stored)
            case .getBlock(let id):
                guard let bytes = try store.get(id: id) else {
                    return .error(WireError(.notFound, "block \(id.shortHex()) is not stored here"))
                }
                return .block(bytes: ByteBuffer(bytes: bytes))
            case .haveBlocks(let ids):
                return .haveBlocksResult(present: store.contains(ids))
            case .rangeBlocks(let start, let end):
                let ids = store.blockIDs().filter { $0.isBetweenRightInclusive(start, end) }
                    .sorted { start.distance(to: $0) < start.distance(to: $1) }
                return .rangeBlocksResult(ids: Array(ids.prefix(WireMessageCodec.maxHaveBlocksBatch)))
            case .putRecord(let record, let expectedSeq):
                if replicator == nil { try requireOwnership(of: record.key) }
                let outcome = try await store.put(record: record, expectedSeq: expectedSeq)
                return .putRecordResult(stored: outcome == .stored)
            case .getRecord(let key):
                return .recordResult(record: store.record(for: key))
            case .chord(let envelope):
                guard let ring else { return .error(WireError(.internalError, "this node does not run a ring")) }
                if let allowedUsers, peer.kind != .node, let key = peer.key, allowedUsers.contains(key) {
                    return .error(WireError(.forbidden, "a user id on this node's -allowUsers list does not take part in the ring"))
                }
                return .chordReply(await ring.handle(envelope, provedKey: peer.key))
            case .status:
                let stats = store.stats
                let predecessor = await ring?.predecessor
                let successors = await ring?.successors ?? [node]
                return .statusResult(NodeStatus(node: node, predecessor: predecessor, successors: successors,
                                                blocks: UInt64(stats.blocks), bytes: UInt64(stats.blockBytes),
                                                replicas: replicator?.replicas ?? 1))
            case .placedPut(_, let put):
                return await handleLocally(put, from: Peer(key: peer.key, kind: .node))
            case .pong, .putBlockResult, .block, .haveBlocksResult, .putRecordResult, .recordResult, .chordReply, .statusResult, .rangeBlocksResult, .error:
                return .error(WireError(.unexpectedResponse, "a \(message.type) message is a response, not a request"))
            }
        } catch let error as BlockStoreError {
            return .error(Self.wireError(for: error))
        } catch let error as WireError {
            return .error(error)
        } catch {
            logger.error("request failed", metadata: ["error": "\(error)"])
            return .error(WireError(.internalError, "internal error: \(error)"))
        }
    }

    /// On a live ring: puts go to their owner, which stores and replicates them; reads that miss here ask the holders.
    /// Returns nil for what is answered locally as usual.
    private func route(_ message: WireMessage, from peer: Peer, _ replicator: Replicator) async -> WireMessage? {
        switch message {
        case .putBlock, .putRecord:
            guard mayStore(peer) else { return nil }  // refused below
            guard await replicator.ring.isJoined else {
                return .error(WireError(
                    .notInRing, "the node at \(node.address) has not joined its ring (its log says why) and stores nothing until it has: use another node"))
            }
            let id: Identifier
            switch message {
            case .putBlock(let blockID, _): id = blockID
            case .putRecord(let record, _): id = record.key
            default: return nil
            }
            if await replicator.ring.owns(id) { return await storeAsOwner(message, replicator) }
            if let owner = await replicator.ring.owner(of: id), owner.id != node.id {
                do {
                    return try await replicator.forward(message, to: owner)
                } catch let error as WireError where error.isAnswer {
                    return .error(error)  // the owner decided (a lost compare-and-swap, a bad record): that is the answer
                } catch {
                    logger.warning("the owner did not take a put; keeping it here", metadata: ["owner": "\(owner.address)"])
                }
            }
            return await storeAsOwner(message, replicator)
        case .placedPut(_, let put) where !(await mayPlace(put, from: peer)):
            return .error(WireError(.forbidden, "only nodes of the ring may place puts here (this node has an -allowUsers list)"))
        case .placedPut(.owner, let put):
            return await storeAsOwner(put, replicator)
        case .placedPut(.replica, let put), .placedPut(.local, let put):
            return await handleLocally(put, from: Peer(key: peer.key, kind: .node))
        case .getBlock(let id):
            return await readBlock(id, replicator)
        case .getRecord(let key):
            return .recordResult(record: await newestRecord(key, replicator))
        default:
            return nil
        }
    }

    /// A block read on a live ring: from this node's store; else from the other holders. A copy here that fails its
    /// hash is dropped by the store and replaced at once by a holder's intact copy (read repair), so the damage costs
    /// neither this read nor the replica count.
    private func readBlock(_ id: Identifier, _ replicator: Replicator) async -> WireMessage {
        var damaged: BlockStoreError?
        do {
            if let bytes = try store.get(id: id) { return .block(bytes: ByteBuffer(bytes: bytes)) }
        } catch let error as BlockStoreError {
            guard error.code == .corruptBlock else { return .error(Self.wireError(for: error)) }
            damaged = error
        } catch {
            return .error(WireError(.internalError, "internal error: \(error)"))
        }
        let reply = await replicator.ask(.getBlock(id: id), about: id) {
            if case .block(let bytes) = $0 { BlockID.of(Array(bytes.readableBytesView)) == id } else { false }
        }
        guard case .block(let bytes)? = reply else {
            if let damaged { return .error(Self.wireError(for: damaged)) }
            return .error(WireError(.notFound, "block \(id.shortHex()) is not stored on the ring"))
        }
        if damaged != nil {
            do {
                try await store.put(id: id, bytes: Array(bytes.readableBytesView))
                logger.warning("a damaged block was replaced from a replica", metadata: ["block": "\(id)"])
            } catch {
                logger.error("a damaged block could not be replaced", metadata: ["block": "\(id)", "error": "\(error)"])
            }
        }
        return .block(bytes: bytes)
    }

    /// Every holder may have another version of a record: asks them all, takes the highest seq, and writes it back to
    /// any holder (this node included) that answered with an older one or none (read repair).
    private func newestRecord(_ key: Identifier, _ replicator: Replicator) async -> SignedRecord? {
        let local = store.record(for: key)
        var answers: [(holder: NodeIdentity, seq: UInt64?)] = []
        var best = local
        for holder in await replicator.holders(of: key) where holder.id != node.id {
            guard let reply = try? await replicator.transport.request(
                .placedPut(role: .local, put: .getRecord(key: key)), to: holder.address, key: holder.key),
                case .recordResult(let answer) = reply
            else { continue }  // no answer: nothing to repair there now
            let r = answer.flatMap { $0.hasValidSignature && $0.key == key ? $0 : nil }
            answers.append((holder, r?.seq))
            if let r, r.seq > (best?.seq ?? 0) { best = r }
        }
        guard let best else { return nil }
        if (local?.seq ?? 0) < best.seq {
            _ = await handleLocally(.putRecord(record: best, expectedSeq: nil), from: Peer(key: nil, kind: .node))
        }
        for (holder, seq) in answers where (seq ?? 0) < best.seq {
            logger.debug("read repair of a stale record replica", metadata: ["holder": "\(holder.address)"])
            _ = try? await replicator.transport.request(
                .placedPut(role: .replica, put: .putRecord(record: best, expectedSeq: nil)), to: holder.address, key: holder.key)
        }
        return best
    }

    /// Placed puts skip routing, so with an `-allowUsers` list only ring members may send them; reads placed with the
    /// `local` role stay open like every read.
    private func mayPlace(_ put: WireMessage, from peer: Peer) async -> Bool {
        guard allowedUsers != nil else { return true }
        switch put {
        case .putBlock, .putRecord: break
        default: return true
        }
        if peer.kind == .node { return true }
        guard let key = peer.key, let ring else { return false }
        if mayStore(peer) { return true }
        return await ring.isMember(Peer.ringID(of: key))
    }

    /// Stores locally (with the usual checks), then copies to the replicas before answering. A record this owner has
    /// never seen (it joined after the record was written) is first brought in from the other holders, so that
    /// compare-and-swap is decided against the newest version on the ring.
    private func storeAsOwner(_ put: WireMessage, _ replicator: Replicator) async -> WireMessage {
        if case .putRecord(let record, _) = put {
            // Brings the newest version here first (read repair writes it locally when this node's is older or missing).
            _ = await newestRecord(record.key, replicator)
        }
        let local = await handleLocally(put, from: Peer(key: nil, kind: .node))
        if case .error = local { return local }
        _ = await replicator.replicate(put)
        return local
    }

    private func requireOwnership(of id: Identifier) throws {
        guard placement.replicas(for: id, count: 1).first == node else {
            // Forwarding to the owner arrives with the live ring.
            throw WireError(.internalError, "this node does not own \(id.shortHex()) and cannot forward yet")
        }
    }

    static func wireError(for error: BlockStoreError) -> WireError {
        let code: WireError.Code =
            switch error.code {
            case .idMismatch: .idMismatch
            case .tooLarge: .tooLarge
            case .corruptBlock: .corruptBlock
            case .badRecord: .badRecord
            case .staleRecord: .staleRecord
            case .casFailed: .casFailed
            case .io, .locked, .closed: .storageFailure
            }
        return WireError(code, error.message)
    }
}
