import ChordRing
import NIOCore
import PeerStoreModel

/// Every message of wire v1, requests and responses.
public enum WireMessage: Equatable, Sendable {
    case ping
    case pong(nodeID: Identifier)
    /// Store a block. The receiver checks id == BLAKE2b-256(bytes).
    case putBlock(id: Identifier, bytes: ByteBuffer)
    /// The block is durable; `stored` is false when it was already there.
    case putBlockResult(stored: Bool)
    case getBlock(id: Identifier)
    case block(bytes: ByteBuffer)
    /// "Which of these ids do you hold?" (batched).
    case haveBlocks(ids: [Identifier])
    case haveBlocksResult(present: [Bool])
    /// Block ids held in the ring range (start, end], in ring order from start, at most `WireMessageCodec.maxHaveBlocksBatch`.
    case rangeBlocks(start: Identifier, end: Identifier)
    case rangeBlocksResult(ids: [Identifier])
    /// Store a signed record; with `expectedSeq`, only if the stored seq equals it (0: none stored).
    case putRecord(record: SignedRecord, expectedSeq: UInt64?)
    case putRecordResult(stored: Bool)
    case getRecord(key: Identifier)
    case recordResult(record: SignedRecord?)
    /// Append a signed, sealed entry to its owner's inbox (the owner of its inbox key stores and replicates it).
    case inboxPost(entry: InboxEntry)
    /// The entry is durable; `stored` is false when it was already there.
    case inboxPostResult(stored: Bool)
    /// The entries of the inbox of `owner` (an Ed25519 public key).
    case inboxList(owner: [UInt8])
    /// An inbox's entries, at most `WireMessageCodec.maxInboxEntries` (their bytes are capped so they fit one frame).
    case inboxEntries([InboxEntry])
    /// The owner's signed removal of entries.
    case inboxRemove(removal: InboxRemoval)
    /// The removal is durable; `changed` is false when it removed no entry held there (it is then not kept).
    case inboxRemoveResult(changed: Bool)
    /// "Which of the grant's ids do you hold?", leasing those held to the grant's holder; answered by `haveBlocksResult`.
    case haveBlocksLeased(grant: LeaseGrant)
    /// Lease the blocks of the grant that are held (after the puts of an upload window), and which are held.
    case leaseBlocks(grant: LeaseGrant)
    case leaseBlocksResult(present: [Bool])
    /// The holder's signed release of its leases, and for each id whether the holder still holds a lease on it
    /// afterwards (a lease renewed since the release's horizon less B stays).
    case releaseBlocks(release: LeaseRelease)
    case releaseBlocksResult(held: [Bool])
    /// Nodes only: for each id, whether a holder has a live lease on it at the receiver; at most `LeaseGrant.maxIDs` ids.
    case leaseState(ids: [Identifier])
    case leaseStateResult(live: [Bool])
    /// Nodes only: the owner decided these blocks are garbage; the receiver deletes those it holds no live lease on.
    case deleteBlocks(ids: [Identifier])
    case deleteBlocksResult(deleted: UInt32)
    /// Nodes only: for each id, whether the receiver holds a tombstone for it; at most `LeaseGrant.maxIDs` ids.
    case tombstones(ids: [Identifier])
    case tombstonesResult(deleted: [Bool])
    /// For each record key, the seq of the record the receiver holds (nil: none); at most `LeaseGrant.maxIDs` keys.
    case recordSeqs(keys: [Identifier])
    case recordSeqsResult(seqs: [UInt64?])
    /// The ids of the entries of `owner`'s inbox this node holds itself (never asked of other holders).
    case inboxIDs(owner: [UInt8])
    /// At most `WireMessageCodec.maxInboxEntries` ids.
    case inboxIDsResult(ids: [Identifier])
    /// A Chord message from one node to another.
    case chord(ChordEnvelope)
    /// The answer: the receiving node's reply envelope, or nil for a one-way message.
    case chordReply(ChordEnvelope?)
    /// A request one node sends another, with the role the receiver takes: a put as owner or replica, or a read to
    /// answer from its own store. Never routed further, so nodes never bounce requests between them.
    indirect case placedPut(role: PlacementRole, put: WireMessage)
    case status
    case statusResult(NodeStatus)
    /// The copy of block `id` this node sent failed the client's check; `dropped`: the node's own full check failed
    /// too and it dropped its copy (a report about an intact copy changes nothing).
    case badBlockReport(id: Identifier)
    case badBlockReportResult(dropped: Bool)
    /// Store many blocks (each checked like a put-block), at most `BlockBatch.maxBlocks`; for each, whether it was new.
    case putBlocks([BlockPut])
    case putBlocksResult(stored: [Bool])
    /// The blocks of `ids` this node holds itself (never asked of other holders): nil for one it does not hold, holds
    /// damaged, or that would not fit the answer (`BlockBatch.maxAnswerBytes`). The caller asks for those alone.
    case getBlocks(ids: [Identifier])
    case blocks([ByteBuffer?])
    case error(WireError)

    public var type: MessageType {
        switch self {
        case .ping: .ping
        case .pong: .pong
        case .putBlock: .putBlock
        case .putBlockResult: .putBlockResult
        case .getBlock: .getBlock
        case .block: .block
        case .haveBlocks: .haveBlocks
        case .haveBlocksResult: .haveBlocksResult
        case .rangeBlocks: .rangeBlocks
        case .rangeBlocksResult: .rangeBlocksResult
        case .putRecord: .putRecord
        case .putRecordResult: .putRecordResult
        case .getRecord: .getRecord
        case .recordResult: .recordResult
        case .inboxPost: .inboxPost
        case .inboxPostResult: .inboxPostResult
        case .inboxList: .inboxList
        case .inboxEntries: .inboxEntries
        case .inboxRemove: .inboxRemove
        case .inboxRemoveResult: .inboxRemoveResult
        case .inboxIDs: .inboxIDs
        case .inboxIDsResult: .inboxIDsResult
        case .haveBlocksLeased: .haveBlocksLeased
        case .leaseBlocks: .leaseBlocks
        case .leaseBlocksResult: .leaseBlocksResult
        case .releaseBlocks: .releaseBlocks
        case .releaseBlocksResult: .releaseBlocksResult
        case .leaseState: .leaseState
        case .leaseStateResult: .leaseStateResult
        case .deleteBlocks: .deleteBlocks
        case .deleteBlocksResult: .deleteBlocksResult
        case .tombstones: .tombstones
        case .tombstonesResult: .tombstonesResult
        case .recordSeqs: .recordSeqs
        case .recordSeqsResult: .recordSeqsResult
        case .chord: .chord
        case .chordReply: .chordReply
        case .placedPut: .placedPut
        case .status: .status
        case .statusResult: .statusResult
        case .badBlockReport: .badBlockReport
        case .badBlockReportResult: .badBlockReportResult
        case .putBlocks: .putBlocks
        case .putBlocksResult: .putBlocksResult
        case .getBlocks: .getBlocks
        case .blocks: .blocks
        case .error: .error
        }
    }
}

extension WireMessage {
    /// The bytes of the block a message carries (0 for others): what its encoding needs room for beyond a few fields.
    var bulkBytes: Int {
        switch self {
        case .putBlock(_, let bytes), .block(let bytes): bytes.readableBytes + 32
        case .placedPut(_, let put): put.bulkBytes + 2
        case .haveBlocks(let ids), .rangeBlocksResult(let ids), .inboxIDsResult(let ids): ids.count * 32
        case .inboxEntries(let entries): entries.reduce(2) { $0 + $1.encodedLength }
        case .inboxPost(let entry): entry.encodedLength
        case .haveBlocksLeased(let grant), .leaseBlocks(let grant): grant.encodedLength
        case .releaseBlocks(let release): release.encodedLength
        case .leaseBlocksResult(let present), .leaseStateResult(let present), .tombstonesResult(let present): present.count
        case .leaseState(let ids), .deleteBlocks(let ids), .tombstones(let ids), .recordSeqs(let ids): ids.count * 32
        case .recordSeqsResult(let seqs): seqs.count * 9
        case .putBlocks(let puts): puts.reduce(2) { $0 + 36 + $1.bytes.readableBytes }
        case .putBlocksResult(let stored): 2 + stored.count
        case .getBlocks(let ids): 2 + ids.count * 32
        case .blocks(let blocks): blocks.reduce(2) { $0 + 5 + ($1?.readableBytes ?? 0) }
        default: 0
        }
    }
}

/// What a node receiving a forwarded put does with it.
public enum PlacementRole: UInt8, Sendable, Equatable {
    /// Store it and copy it to the next k-1 nodes, as its owner.
    case owner = 1
    /// Store it only: the owner is replicating.
    case replica = 2
    /// A get block or get record: answer from the local store only.
    case local = 3
}
