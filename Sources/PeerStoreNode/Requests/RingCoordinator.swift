import ChordRing
import Logging
import Metrics
import PeerStoreWire

/// What a node does for the ring around a request: a put goes to its owner, which stores it and copies it to the
/// replicas; a read that misses here asks the other holders (see `RingCoordinator+ReadRepair`). A node that has not
/// joined its ring refuses puts.
public struct RingCoordinator: Sendable {
    public let replicator: Replicator
    public let local: LocalStore
    let logger: Logger
    /// Where the read repair metrics go (nil: the process's bootstrapped backend).
    let metrics: (any MetricsFactory)?

    public init(replicator: Replicator, local: LocalStore, logger: Logger, metrics: (any MetricsFactory)? = nil) {
        self.replicator = replicator
        self.local = local
        self.logger = logger
        self.metrics = metrics
    }

    public var ring: RingService { replicator.ring }
    var node: NodeIdentity { local.node }

    /// Where this node stands, for a status reply.
    public func position() async -> RingPosition {
        RingPosition(predecessor: await ring.predecessor, successors: await ring.successors, replicas: replicator.replicas)
    }

    /// A put from a client: stored here as owner, or forwarded to the owner; kept here if the owner cannot be reached.
    public func put(_ put: WireMessage) async -> WireMessage {
        guard await ring.isJoined else { return .error(notJoined) }
        let id: Identifier
        switch put {
        case .putBlock(let blockID, _): id = blockID
        case .putRecord(let record, _): id = record.key
        case .inboxPost(let entry): id = entry.inboxKey
        case .inboxRemove(let removal): id = removal.inboxKey
        case .leaseBlocks(let grant) where !grant.ids.isEmpty: id = grant.ids[0]
        case .releaseBlocks(let release) where !release.ids.isEmpty: id = release.ids[0]
        default: return await local.handle(put)
        }
        if await ring.owns(id) { return await storeAsOwner(put) }
        if let owner = await ring.owner(of: id), owner.id != node.id {
            do {
                return try await replicator.forward(put, to: owner)
            } catch let error as WireError where error.isAnswer {
                return .error(error)  // the owner decided (a lost compare-and-swap, a bad record): that is the answer
            } catch {
                logger.warning("the owner did not take a put; keeping it here", metadata: ["owner": "\(owner.address)"])
            }
        }
        return await storeAsOwner(put)
    }

    /// The answer to a put before this node has joined its ring.
    var notJoined: WireError {
        WireError(.notInRing, "the node at \(node.address) has not joined its ring (its log says why) and stores nothing until it has: use another node")
    }

    /// Stores locally (with the store's checks), then copies to the replicas before answering. A record or inbox this
    /// owner has never seen (it joined after the record was written) is first brought in from the other holders, so that
    /// compare-and-swap is decided against the newest version on the ring.
    public func storeAsOwner(_ put: WireMessage) async -> WireMessage {
        if case .putRecord(let record, _) = put {
            // Brings the newest version here first (read repair writes it locally when this node's is older or missing).
            _ = await newestRecord(record.key)
        }
        if case .putBlocks(let puts) = put { return await storeAsOwner(blocks: puts) }
        if case .inboxPost(let entry) = put, local.store.inbox(key: entry.inboxKey) == nil {
            // Likewise for an inbox this owner holds nothing of: its caps count the entries the other holders have.
            _ = await readInbox(owner: entry.owner)
        }
        let stored = await local.handle(put)
        if case .error = stored { return stored }
        _ = await replicator.replicate(put)
        return stored
    }
}
