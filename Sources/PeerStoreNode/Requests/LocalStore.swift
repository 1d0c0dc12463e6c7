import BlockStore
import ChordRing
import Logging
import NIOCore
import PeerStoreWire

/// Answers what this node's own store does (blocks, have-blocks, records, inboxes, leases, range listings, status), without the ring
/// and without access checks: the caller has decided the request may run here.
public struct LocalStore: Sendable {
    public let store: BlockStore
    public let node: NodeIdentity
    /// Whether expired leases have ended, for the owner's questions and deletions.
    public let leases: LeaseSettings
    /// What the node did lately, told in its status.
    public let activity: ActivityLog
    let logger: Logger

    public init(store: BlockStore, node: NodeIdentity, leases: LeaseSettings = .init(), activity: ActivityLog = ActivityLog(),
                logger: Logger) {
        self.store = store
        self.node = node
        self.leases = leases
        self.activity = activity
        self.logger = logger
    }

    /// Answers one storage request from the store; anything else is not a storage request and is refused.
    public func handle(_ request: WireMessage) async -> WireMessage {
        do {
            switch request {
            case .putBlock(let id, let bytes):
                let outcome = try await store.put(id: id, bytes: Array(bytes.readableBytesView))
                return .putBlockResult(stored: outcome == .stored)
            case .putBlocks(let puts):
                let outcomes = try await store.put(blocks: puts.map { ($0.id, Array($0.bytes.readableBytesView)) })
                return .putBlocksResult(stored: outcomes.map { $0 == .stored })
            case .getBlocks(let ids):
                return .blocks(heldBlocks(ids))
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
                let outcome = try await store.put(record: record, expectedSeq: expectedSeq)
                return .putRecordResult(stored: outcome == .stored)
            case .getRecord(let key):
                return .recordResult(record: store.record(for: key))
            case .inboxPost(let entry):
                return .inboxPostResult(stored: try await store.post(entry) == .stored)
            case .inboxList(let owner):
                return .inboxEntries(WireMessageCodec.fittingListing(store.inboxState(for: owner).sortedEntries))
            case .inboxIDs(let owner):
                let entries = store.inboxState(for: owner).sortedEntries.prefix(WireMessageCodec.maxInboxEntries)
                return .inboxIDsResult(ids: entries.map(\.id))
            case .inboxRemove(let removal):
                return .inboxRemoveResult(changed: try await store.remove(removal) == .stored)
            case .haveBlocksLeased(let grant):
                return .haveBlocksResult(present: try await store.lease(grant, now: store.settings.wallClock()))
            case .leaseBlocks(let grant):
                return .leaseBlocksResult(present: try await store.lease(grant, now: store.settings.wallClock()))
            case .releaseBlocks(let release):
                let outcome = try await store.release(release, now: store.settings.wallClock())
                return .releaseBlocksResult(held: outcome.held)
            case .leaseState(let ids):
                let now = store.settings.wallClock()
                return .leaseStateResult(live: store.hasLiveLease(ids, now: now, honourExpiry: leases.honourExpiry))
            case .tombstones(let ids):
                return .tombstonesResult(deleted: ids.map { store.isTombstoned($0) })
            case .badBlockReport(let id):
                return .badBlockReportResult(dropped: try store.checkReported(id) == .dropped)
            case .recordSeqs(let keys):
                return .recordSeqsResult(seqs: keys.map { store.record(for: $0)?.seq })
            case .deleteBlocks(let ids):
                // A replica deletes only what is garbage by its own view too: leased once, no live lease, and its own
                // grace (less a little, for the time the release took to reach it) passed. A node that asks for
                // more (a bug, a stray member) cannot delete a block never leased or still in its grace period.
                var deleted: UInt32 = 0
                let grace = leases.grace - min(leases.grace / 10, 60)
                for id in ids where try await store.deleteIfGarbage(id, now: store.settings.wallClock(), grace: grace, honourExpiry: leases.honourExpiry) {
                    deleted += 1
                }
                return .deleteBlocksResult(deleted: deleted)
            default:
                return .error(WireError(.unexpectedResponse, "a \(request.type) message is not a storage request"))
            }
        } catch let error as BlockStoreError {
            return .error(WireError(error))
        } catch let error as WireError {
            return .error(error)
        } catch {
            logger.error("request failed", metadata: ["error": "\(error)"])
            return .error(WireError(.internalError, "internal error: \(error)"))
        }
    }

    /// The blocks of `ids` held here, while they fit one answer (nil for the rest, and for one held damaged: the store
    /// drops that copy, and the caller's read alone finds another).
    private func heldBlocks(_ ids: [Identifier]) -> [ByteBuffer?] {
        var total = 0
        return ids.map { id in
            guard total < BlockBatch.maxAnswerBytes, let bytes = try? store.get(id: id) else { return nil }
            guard total + bytes.count <= BlockBatch.maxAnswerBytes else {
                total = BlockBatch.maxAnswerBytes
                return nil
            }
            total += bytes.count
            return ByteBuffer(bytes: bytes)
        }
    }

    /// This node's status: its store's counts and where it stands on the ring.
    public func status(_ position: RingPosition) -> WireMessage {
        let stats = store.stats
        return .statusResult(NodeStatus(node: node, predecessor: position.predecessor, successors: position.successors,
                                        blocks: UInt64(stats.blocks), bytes: UInt64(stats.blockBytes),
                                        replicas: position.replicas, activity: activity.snapshot()))
    }
}
