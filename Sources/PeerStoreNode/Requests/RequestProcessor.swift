import BlockStore
import ChordRing
import Logging
import Metrics
import PeerStoreWire

/// Answers one request of wire v1. Knows nothing of sockets. Every request takes one path: the access policy decides
/// whether the peer may make it, the ring coordinator (on a live ring) routes it, the local store answers it.
/// Without a coordinator the node answers from its own store alone, as a ring of one would.
public struct RequestProcessor: Sendable {
    public let local: LocalStore
    public let policy: AccessPolicy
    /// The live ring this node takes part in, if any.
    public let coordinator: RingCoordinator?
    /// Where the request counters and timers go (nil: the process's bootstrapped backend).
    public var metrics: (any MetricsFactory)?
    private let requestMetrics = RequestMetrics()
    /// Fan-out reads (records, inbox listings) and bad block reports a user key may make a second (`FanOutLimiter`).
    let fanOut = FanOutLimiter()

    public init(local: LocalStore, policy: AccessPolicy = AccessPolicy(), coordinator: RingCoordinator? = nil) {
        self.local = local
        self.policy = policy
        self.coordinator = coordinator
    }

    public var node: NodeIdentity { local.node }
    public var store: BlockStore { local.store }

    /// Answers one request and counts it (`RequestMetrics`, the local store's `ActivityLog`).
    public func handle(_ envelope: Envelope, from peer: Peer = Peer(key: nil, kind: .user)) async -> Envelope {
        let started = ContinuousClock.now
        let reply = await handle(envelope.message, from: peer)
        let op = RequestMetrics.op(of: envelope.message)
        requestMetrics.answered(op: op, after: ContinuousClock.now - started, factory: metrics ?? MetricsSystem.factory)
        local.activity.answered(op: op)
        return Envelope(requestID: envelope.requestID, message: reply)
    }

    /// Who a proved key belongs to: a node if the ring reached it itself, a user otherwise. The ring is asked only when
    /// the policy tells nodes from users.
    public func peer(for key: [UInt8]?) async -> Peer {
        let members = policy.distinguishesNodes ? await coordinator?.ring.knownNodes ?? [] : []
        return Peer.classify(key: key, ringMembers: members.union([node.id]))
    }

    public func handle(_ message: WireMessage, from peer: Peer = Peer(key: nil, kind: .user)) async -> WireMessage {
        switch message {
        case .ping:
            return .pong(nodeID: node.id)
        case .putBlock, .putRecord:
            guard policy.mayStore(peer) else { return .error(AccessPolicy.storeRefused) }
            guard let coordinator else { return await local.handle(message) }
            return await coordinator.put(message)
        case .putBlocks(let puts):
            guard policy.mayStore(peer) else { return .error(AccessPolicy.storeRefused) }
            guard let coordinator else { return await local.handle(message) }
            return await coordinator.putBlocks(puts)
        case .getBlocks:
            return await local.handle(message)
        case .placedPut(let role, let put):
            guard await mayPlace(put, from: peer) else { return .error(AccessPolicy.placeRefused) }
            if role == .owner, let coordinator { return await coordinator.storeAsOwner(put) }
            return await local.handle(put)  // a replica's copy, or a read answered from this store only
        case .getBlock(let id):
            guard let coordinator else { return await local.handle(message) }
            return await coordinator.readBlock(id)
        case .getRecord(let key):
            guard let coordinator else { return await local.handle(message) }
            guard await mayFanOut(peer) else { return .error(Self.slowDown) }
            return .recordResult(record: await coordinator.newestRecord(key))
        case .inboxPost(let entry):
            guard policy.mayStore(peer) else { return .error(AccessPolicy.storeRefused) }
            guard policy.mayPost(entry, from: peer) else { return .error(AccessPolicy.posterRefused) }
            guard let coordinator else { return await local.handle(message) }
            return await coordinator.put(message)
        case .inboxRemove:
            guard let coordinator else { return await local.handle(message) }
            return await coordinator.put(message)
        case .inboxList(let owner):
            guard let coordinator else { return await local.handle(message) }
            guard await mayFanOut(peer) else { return .error(Self.slowDown) }
            return await coordinator.readInbox(owner: owner)
        case .haveBlocks, .inboxIDs, .recordSeqs:
            return await local.handle(message)
        case .haveBlocksLeased:
            guard policy.mayStore(peer) else { return .error(AccessPolicy.storeRefused) }
            guard let coordinator else { return await local.handle(message) }
            return await coordinator.leaseHere(message)
        case .leaseBlocks:
            guard policy.mayStore(peer) else { return .error(AccessPolicy.storeRefused) }
            guard let coordinator else { return await local.handle(message) }
            return await coordinator.put(message)
        case .releaseBlocks:
            guard let coordinator else { return await local.handle(message) }
            return await coordinator.put(message)
        case .leaseState, .deleteBlocks, .tombstones, .rangeBlocks:
            // A range listing is every user's block ids and sizes, and a scan and sort of the whole index: for the
            // anti-entropy of ring members only.
            guard await isRingNode(peer) else { return .error(Self.nodesOnly) }
            return await local.handle(message)
        case .chord(let envelope):
            guard let coordinator else { return .error(WireError(.internalError, "this node does not run a ring")) }
            guard policy.mayTakePartInRing(peer) else { return .error(AccessPolicy.ringRefused) }
            return .chordReply(await coordinator.ring.handle(envelope, provedKey: peer.key))
        case .status:
            return local.status(await coordinator?.position() ?? .alone(node))
        case .badBlockReport(let id):
            // Anyone may report: the node checks its own copy in full and drops only a damaged one. Each report costs
            // a read and a full hash, so a user key's reports are rationed like its fan-out reads.
            guard await mayFanOut(peer) else { return .error(Self.slowDown) }
            let reply = await local.handle(message)
            if case .badBlockReportResult(true) = reply, let coordinator { await coordinator.repairDropped(id) }
            return reply
        case .pong, .putBlockResult, .block, .haveBlocksResult, .putRecordResult, .recordResult, .chordReply, .statusResult,
            .rangeBlocksResult, .inboxPostResult, .inboxEntries, .inboxRemoveResult, .inboxIDsResult, .leaseBlocksResult,
            .releaseBlocksResult, .leaseStateResult, .deleteBlocksResult, .tombstonesResult, .recordSeqsResult,
            .badBlockReportResult, .putBlocksResult, .blocks, .error:
            return .error(WireError(.unexpectedResponse, "a \(message.type) message is a response, not a request"))
        }
    }

    /// Whether the peer is a node of this ring: a key whose ring id the ring knows as a member.
    private func isRingNode(_ peer: Peer) async -> Bool {
        guard let key = peer.key, let coordinator else { return false }
        if peer.kind == .node { return true }
        return await coordinator.ring.isMember(Peer.ringID(of: key))
    }

    static let slowDown = WireError(.busy, "too many record reads, inbox reads or bad block reports from this key at once: slow down and try again")

    /// Whether `peer` may make a read that asks every holder (or a report that costs a full hash): ring nodes always;
    /// a user key within its rate.
    private func mayFanOut(_ peer: Peer) async -> Bool {
        guard let key = peer.key else { return true }
        if fanOut.allow(key) { return true }
        return await isRingNode(peer)
    }

    static let nodesOnly = WireError(.forbidden, "only nodes of the ring may ask for lease states, tombstones or range listings, or delete blocks")

    /// The policy's answer for a placed request, asking the ring when it depends on membership.
    private func mayPlace(_ put: WireMessage, from peer: Peer) async -> Bool {
        switch policy.placement(of: put, from: peer) {
        case .allowed: true
        case .refused: false
        case .ifRingMember(let id): await coordinator?.ring.isMember(id) ?? false
        }
    }
}
