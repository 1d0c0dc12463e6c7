import ChordRing
import NIOCore
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreWire
import Testing

/// Sample messages shared by the wire tests: one or more of every `WireMessage` case.
enum WireFixtures {
    static func id(_ seed: UInt8) -> Identifier {
        Identifier(bytes: (0..<32).map { UInt8(truncatingIfNeeded: Int($0) &* 7 &+ Int(seed)) })!
    }

    static let keys = try! SigningKeyPair(seed: [UInt8](repeating: 5, count: 32))

    /// A genuine ring entry (its id is BLAKE2b-256 of its key), from a seed.
    static func node(_ seed: UInt8, address: String) -> NodeIdentity {
        let key = try! SigningKeyPair(seed: [UInt8](repeating: seed, count: 32)).publicKey
        return NodeIdentity(id: Identifier(bytes: Blake2b.hash(key, outputLength: 32))!, address: address, key: key)
    }

    static func record(seq: UInt64 = 3, salt: [UInt8] = Array("backup".utf8), value: [UInt8] = [1, 2, 3]) -> SignedRecord {
        try! SignedRecord(signing: value, salt: salt, seq: seq, with: keys)
    }

    static let inboxOwner = try! SigningKeyPair(seed: [UInt8](repeating: 6, count: 32))

    static func inboxEntry(_ sealed: [UInt8] = [4, 5, 6], posted: UInt64 = 1_700_000_000) -> InboxEntry {
        try! InboxEntry(owner: inboxOwner.publicKey, sealed: sealed, posted: posted, signingWith: keys)
    }

    static func inboxRemoval(_ ids: [Identifier] = [id(30), id(31)]) -> InboxRemoval {
        try! InboxRemoval(ids: ids, signingWith: inboxOwner)
    }

    static func leaseGrant(_ ids: [Identifier] = [id(40), id(41)], issuedAt: UInt64 = 1_700_000_000) -> LeaseGrant {
        try! LeaseGrant(ids: ids, issuedAt: issuedAt, expiry: issuedAt + LeaseRules.standardLength, signingWith: keys)
    }

    static func leaseRelease(_ ids: [Identifier] = [id(42)], horizon: UInt64 = 1_700_000_500) -> LeaseRelease {
        try! LeaseRelease(ids: ids, horizon: horizon, signingWith: keys)
    }

    /// Every case at least once, with a few edge values (empty, large, optional absent/present).
    static var allMessages: [WireMessage] {
        [
            .ping,
            .pong(nodeID: id(1)),
            .putBlock(id: id(2), bytes: ByteBuffer(bytes: [9, 8, 7])),
            .putBlock(id: id(3), bytes: ByteBuffer()),
            .putBlockResult(stored: true),
            .putBlockResult(stored: false),
            .getBlock(id: id(4)),
            .block(bytes: ByteBuffer(bytes: [UInt8](repeating: 0xAB, count: 70_000))),
            .block(bytes: ByteBuffer()),
            .haveBlocks(ids: []),
            .haveBlocks(ids: [id(5), id(6), id(7)]),
            .haveBlocksResult(present: []),
            .haveBlocksResult(present: [true, false, true]),
            .putRecord(record: record(), expectedSeq: nil),
            .putRecord(record: record(seq: 9, salt: [], value: []), expectedSeq: 0),
            .putRecord(record: record(seq: 10), expectedSeq: 9),
            .putRecordResult(stored: true),
            .putRecordResult(stored: false),
            .getRecord(key: id(8)),
            .recordResult(record: nil),
            .recordResult(record: record(seq: .max, value: [UInt8](repeating: 1, count: SignedRecord.maxValueLength))),
            .chord(ChordEnvelope(from: node(11, address: "127.0.0.1:3001"), to: node(12, address: "127.0.0.1:3002"), requestID: 7,
                                 message: .getState)),
            .chordReply(nil),
            .chordReply(ChordEnvelope(from: node(12, address: "b"), to: node(11, address: "a"),
                                      requestID: 7, message: .state(predecessor: nil, successors: [node(13, address: "c")]))),
            .placedPut(role: .owner, put: .putBlock(id: id(14), bytes: ByteBuffer(bytes: [1, 2]))),
            .placedPut(role: .replica, put: .putRecord(record: record(), expectedSeq: 2)),
            .placedPut(role: .local, put: .getBlock(id: id(15))),
            .placedPut(role: .local, put: .getRecord(key: id(16))),
            .inboxPost(entry: inboxEntry()),
            .inboxPost(entry: inboxEntry([UInt8](repeating: 0xCD, count: InboxEntry.maxSealedLength), posted: .max)),
            .inboxPost(entry: inboxEntry([])),
            .inboxPostResult(stored: true),
            .inboxPostResult(stored: false),
            .inboxList(owner: inboxOwner.publicKey),
            .inboxEntries([]),
            .inboxEntries([inboxEntry(), inboxEntry([7]), inboxEntry([])]),
            .inboxRemove(removal: inboxRemoval()),
            .inboxRemove(removal: inboxRemoval((0..<InboxRemoval.maxIDs).map { id(UInt8(truncatingIfNeeded: $0)) })),
            .inboxRemoveResult(changed: true),
            .inboxRemoveResult(changed: false),
            .inboxIDs(owner: inboxOwner.publicKey),
            .inboxIDsResult(ids: []),
            .inboxIDsResult(ids: [id(32), id(33)]),
            .placedPut(role: .owner, put: .inboxPost(entry: inboxEntry())),
            .placedPut(role: .replica, put: .inboxRemove(removal: inboxRemoval())),
            .placedPut(role: .local, put: .inboxList(owner: inboxOwner.publicKey)),
            .haveBlocksLeased(grant: leaseGrant()),
            .haveBlocksLeased(grant: leaseGrant([id(43)], issuedAt: 0)),
            .leaseBlocks(grant: leaseGrant((0..<40).map { id(UInt8($0)) })),
            .leaseBlocksResult(present: []),
            .leaseBlocksResult(present: [true, false, false]),
            .releaseBlocks(release: leaseRelease()),
            .releaseBlocks(release: leaseRelease([id(44), id(45), id(46)], horizon: .max)),
            .releaseBlocksResult(held: []),
            .releaseBlocksResult(held: [true, false, true]),
            .leaseState(ids: []),
            .leaseState(ids: [id(47), id(48)]),
            .leaseStateResult(live: [false, true]),
            .deleteBlocks(ids: [id(49)]),
            .deleteBlocksResult(deleted: 3),
            .tombstones(ids: [id(50), id(51)]),
            .tombstonesResult(deleted: [true]),
            .recordSeqs(keys: []),
            .recordSeqs(keys: [id(52), id(53)]),
            .recordSeqsResult(seqs: [nil, 0, 7, .max]),
            .badBlockReport(id: id(54)),
            .badBlockReportResult(dropped: true),
            .badBlockReportResult(dropped: false),
            .placedPut(role: .owner, put: .leaseBlocks(grant: leaseGrant())),
            .placedPut(role: .replica, put: .releaseBlocks(release: leaseRelease())),
            .putBlocks([]),
            .putBlocks([BlockPut(id: id(60), bytes: ByteBuffer(bytes: [1, 2, 3])), BlockPut(id: id(61), bytes: ByteBuffer())]),
            .putBlocksResult(stored: []),
            .putBlocksResult(stored: [true, false, true]),
            .getBlocks(ids: []),
            .getBlocks(ids: [id(62), id(63)]),
            .blocks([]),
            .blocks([nil, ByteBuffer(bytes: [9, 8]), ByteBuffer(), nil]),
            .placedPut(role: .owner, put: .putBlocks([BlockPut(id: id(64), bytes: ByteBuffer(bytes: [4]))])),
            .placedPut(role: .replica, put: .putBlocks([BlockPut(id: id(65), bytes: ByteBuffer(bytes: [5, 6]))])),
            .status,
            .rangeBlocks(start: id(19), end: id(20)),
            .rangeBlocksResult(ids: []),
            .rangeBlocksResult(ids: [id(21), id(22)]),
            .statusResult(NodeStatus(node: node(17, address: "127.0.0.1:1"), predecessor: nil, successors: [node(18, address: "x")],
                                     blocks: 5, bytes: 1 << 40)),
            .error(WireError(.notFound, "block abc is not stored here")),
            .error(WireError(.casFailed, "")),
            .error(WireError(.internalError, "ünïcödé ✓")),
        ]
    }
}

/// Checks that `body` throws a `WireError` with `code`.
func expectWireError(
    _ code: WireError.Code, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("expected WireError \(code), nothing was thrown. \(comment.map { "\($0)" } ?? "")",
                     sourceLocation: sourceLocation)
    } catch let error as WireError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected WireError \(code), got \(error)", sourceLocation: sourceLocation)
    }
}
