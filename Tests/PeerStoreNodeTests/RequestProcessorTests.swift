import BlockStore
import ChordRing
import Logging
import NIOCore
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreNode
import PeerStoreTestKit
import PeerStoreWire
import Testing

/// A `RequestProcessor` over a real `BlockStore` in a fresh temporary directory.
final class ProcessorFixture {
    let dir: TemporaryDirectory
    let store: BlockStore
    let node = NodeIdentity(id: BlockID.of(Array("node".utf8)), address: "127.0.0.1:1")
    let processor: RequestProcessor

    init(leases: LeaseSettings = .init(), wallClock: (@Sendable () -> UInt64)? = nil) throws {
        dir = try TemporaryDirectory(prefix: "peerstore-processor")
        var settings = BlockStoreSettings()
        settings.syncWrites = false
        if let wallClock { settings.wallClock = wallClock }
        settings.leaseBackupBound = leases.backupBound
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        store = try BlockStore(path: dir.sub("data"), settings: settings, logger: logger)
        processor = RequestProcessor(local: LocalStore(store: store, node: node, leases: leases, logger: logger))
    }

    deinit {
        store.close()
        dir.remove()
    }

    func handle(_ message: WireMessage) async -> WireMessage { await processor.handle(message) }
}

func errorCode(_ message: WireMessage) -> WireError.Code? {
    if case .error(let error) = message { error.code } else { nil }
}

@Suite("Request processor")
struct RequestProcessorTests {
    static let keys = try! SigningKeyPair(seed: [UInt8](repeating: 9, count: 32))

    @Test func pingAnswersWithTheNodeID() async throws {
        let f = try ProcessorFixture()
        #expect(await f.handle(.ping) == .pong(nodeID: f.node.id))
    }

    @Test func putGetAndHaveBlocks() async throws {
        let f = try ProcessorFixture()
        let bytes = [UInt8](repeating: 0x42, count: 5000)
        let id = BlockID.of(bytes)
        let absent = BlockID.of([1])
        #expect(await f.handle(.haveBlocks(ids: [id, absent])) == .haveBlocksResult(present: [false, false]))
        #expect(await f.handle(.putBlock(id: id, bytes: ByteBuffer(bytes: bytes))) == .putBlockResult(stored: true))
        #expect(await f.handle(.putBlock(id: id, bytes: ByteBuffer(bytes: bytes))) == .putBlockResult(stored: false))
        #expect(await f.handle(.getBlock(id: id)) == .block(bytes: ByteBuffer(bytes: bytes)))
        #expect(await f.handle(.haveBlocks(ids: [id, absent, id])) == .haveBlocksResult(present: [true, false, true]))
        #expect(await f.handle(.haveBlocks(ids: [])) == .haveBlocksResult(present: []))
        #expect(f.store.stats.blocks == 1)
    }

    @Test func emptyBlockCanBeStored() async throws {
        let f = try ProcessorFixture()
        let id = BlockID.of([])
        #expect(await f.handle(.putBlock(id: id, bytes: ByteBuffer())) == .putBlockResult(stored: true))
        #expect(await f.handle(.getBlock(id: id)) == .block(bytes: ByteBuffer()))
    }

    @Test func idMismatchIsATypedErrorAndStoresNothing() async throws {
        let f = try ProcessorFixture()
        let wrongID = BlockID.of([1, 2, 3])
        let reply = await f.handle(.putBlock(id: wrongID, bytes: ByteBuffer(bytes: [3, 2, 1])))
        #expect(errorCode(reply) == .idMismatch)
        #expect(await f.handle(.haveBlocks(ids: [wrongID, BlockID.of([3, 2, 1])])) == .haveBlocksResult(present: [false, false]))
        #expect(f.store.stats.blocks == 0)
    }

    @Test func missingBlockIsNotFound() async throws {
        let f = try ProcessorFixture()
        #expect(errorCode(await f.handle(.getBlock(id: BlockID.of([7])))) == .notFound)
    }

    @Test func oversizedBlockIsTooLarge() async throws {
        let f = try ProcessorFixture()
        let bytes = [UInt8](repeating: 1, count: f.store.settings.maxBlockSize + 1)
        #expect(errorCode(await f.handle(.putBlock(id: BlockID.of(bytes), bytes: ByteBuffer(bytes: bytes)))) == .tooLarge)
    }

    @Test func recordFlow() async throws {
        let f = try ProcessorFixture()
        let salt = Array("root".utf8)
        let key = SignedRecord.key(owner: Self.keys.publicKey, salt: salt)
        let v1 = try SignedRecord(signing: [1], salt: salt, seq: 1, with: Self.keys)
        let v2 = try SignedRecord(signing: [2], salt: salt, seq: 2, with: Self.keys)
        let v3 = try SignedRecord(signing: [3], salt: salt, seq: 3, with: Self.keys)

        #expect(await f.handle(.getRecord(key: key)) == .recordResult(record: nil))
        #expect(errorCode(await f.handle(.putRecord(record: v1, expectedSeq: 5))) == .casFailed)
        #expect(await f.handle(.putRecord(record: v1, expectedSeq: 0)) == .putRecordResult(stored: true))
        #expect(await f.handle(.getRecord(key: key)) == .recordResult(record: v1))
        #expect(await f.handle(.putRecord(record: v2, expectedSeq: nil)) == .putRecordResult(stored: true))
        #expect(errorCode(await f.handle(.putRecord(record: v1, expectedSeq: nil))) == .staleRecord)
        #expect(errorCode(await f.handle(.putRecord(record: v3, expectedSeq: 1))) == .casFailed)
        #expect(await f.handle(.putRecord(record: v3, expectedSeq: 2)) == .putRecordResult(stored: true))
        #expect(await f.handle(.getRecord(key: key)) == .recordResult(record: v3))

        var forged = v3
        forged.seq = 4
        #expect(errorCode(await f.handle(.putRecord(record: forged, expectedSeq: nil))) == .badRecord)
        #expect(await f.handle(.getRecord(key: key)) == .recordResult(record: v3))
    }

    @Test(arguments: [
        WireMessage.pong(nodeID: BlockID.of([1])), .putBlockResult(stored: true), .block(bytes: ByteBuffer(bytes: [1])),
        .haveBlocksResult(present: [true]), .putRecordResult(stored: false), .recordResult(record: nil),
        .chordReply(nil), .error(WireError(.notFound, "x")), .rangeBlocksResult(ids: []),
        .statusResult(NodeStatus(node: NodeIdentity(id: BlockID.of([2]), address: "a"), predecessor: nil, successors: [], blocks: 0, bytes: 0)),
    ])
    func responseSentAsRequestIsAnError(message: WireMessage) async throws {
        let f = try ProcessorFixture()
        #expect(errorCode(await f.handle(message)) == .unexpectedResponse)
    }

    @Test func envelopeKeepsTheRequestID() async throws {
        let f = try ProcessorFixture()
        let reply = await f.processor.handle(Envelope(requestID: 123_456_789, message: .getBlock(id: BlockID.of([9]))))
        #expect(reply.requestID == 123_456_789 && errorCode(reply.message) == .notFound)
    }

    @Test func aNodeOutsideItsRingRefusesPutsWithoutStoring() async throws {
        let f = try ProcessorFixture()
        let keys = SigningKeyPair()
        let logger = Logger(label: "test")
        let transport = NodeTransport(identity: keys, networkKey: .openDemo, logger: logger)
        let ring = RingService(me: f.node, settings: ChordSettings(), transport: transport, logger: logger)
        let replicator = Replicator(ring: ring, transport: transport, replicas: 3, logger: logger)
        let processor = RequestProcessor(
            local: f.processor.local, coordinator: RingCoordinator(replicator: replicator, local: f.processor.local, logger: logger))
        let bytes: [UInt8] = [4, 5, 6]
        let reply = await processor.handle(.putBlock(id: BlockID.of(bytes), bytes: ByteBuffer(bytes: bytes)))
        #expect(errorCode(reply) == .notInRing)
        let record = try SignedRecord(signing: [1], salt: [2], seq: 1, with: Self.keys)
        #expect(errorCode(await processor.handle(.putRecord(record: record, expectedSeq: nil))) == .notInRing)
        #expect(f.store.stats.blocks == 0)
        #expect(f.store.record(for: record.key) == nil)
        await ring.stop()
    }
}

/// The processor with an allow list on a ring of one: every access rule is applied on the one request path.
@Suite struct ProcessorAccessTests {
    @Test func placedPutsAndChordFollowThePolicy() async throws {
        let f = try ProcessorFixture()
        let allowed = SigningKeyPair().publicKey
        let logger = Logger(label: "test")
        let transport = NodeTransport(identity: SigningKeyPair(), networkKey: .openDemo, logger: logger)
        let ring = RingService(me: f.node, settings: ChordSettings(), transport: transport, logger: logger)
        await ring.startAlone()
        let replicator = Replicator(ring: ring, transport: transport, replicas: 2, logger: logger)
        let processor = RequestProcessor(
            local: f.processor.local, policy: AccessPolicy(allowedUsers: [allowed]),
            coordinator: RingCoordinator(replicator: replicator, local: f.processor.local, logger: logger))
        let stranger = Peer(key: SigningKeyPair().publicKey, kind: .user)
        let bytes = Array("placed".utf8)
        let put = WireMessage.putBlock(id: BlockID.of(bytes), bytes: ByteBuffer(bytes: bytes))

        #expect(errorCode(await processor.handle(.placedPut(role: .replica, put: put), from: stranger)) == .forbidden)
        #expect(errorCode(await processor.handle(.placedPut(role: .owner, put: put), from: stranger)) == .forbidden)
        #expect(f.store.stats.blocks == 0)
        #expect(await processor.handle(.placedPut(role: .replica, put: put), from: Peer(key: allowed, kind: .user))
            == .putBlockResult(stored: true))
        #expect(await processor.handle(.placedPut(role: .local, put: .getBlock(id: BlockID.of(bytes))), from: stranger)
            == .block(bytes: ByteBuffer(bytes: bytes)))
        let chord = ChordEnvelope(from: f.node, to: f.node, requestID: 1, message: .ping)
        #expect(errorCode(await processor.handle(.chord(chord), from: Peer(key: allowed, kind: .user))) == .forbidden)
        guard case .statusResult(let status) = await processor.handle(.status) else {
            Issue.record("no status")
            return
        }
        #expect(status.replicas == 2 && status.successors == [f.node] && status.blocks == 1)
        await ring.stop()
    }
}

@Suite struct PeerTests {
    @Test func ringIDsAreBoundToKeysAndPeersAreClassified() {
        let keys = SigningKeyPair()
        let id = Peer.ringID(of: keys.publicKey)
        #expect(Peer.isGenuine(NodeIdentity(id: id, address: "a", key: keys.publicKey)))
        #expect(!Peer.isGenuine(NodeIdentity(id: Peer.ringID(of: SigningKeyPair().publicKey), address: "a", key: keys.publicKey)))
        #expect(!Peer.isGenuine(NodeIdentity(id: id, address: "a")))
        #expect(Peer.classify(key: keys.publicKey, ringMembers: [id]).kind == .node)
        #expect(Peer.classify(key: SigningKeyPair().publicKey, ringMembers: [id]).kind == .user)
        #expect(Peer.classify(key: nil, ringMembers: [id]).kind == .user)
    }

    @Test func allowListLimitsStoringNotReading() async throws {
        let dir = try TemporaryDirectory(prefix: "allow")
        defer { dir.remove() }
        let store = try BlockStore(path: dir.sub("data"))
        defer { store.close() }
        let allowed = SigningKeyPair().publicKey
        let node = NodeIdentity(id: BlockID.of(Array("n".utf8)), address: "x")
        let processor = RequestProcessor(local: LocalStore(store: store, node: node, logger: Logger(label: "test")),
                                         policy: AccessPolicy(allowedUsers: [allowed]))
        let bytes = Array("data".utf8)
        let put = WireMessage.putBlock(id: BlockID.of(bytes), bytes: ByteBuffer(bytes: bytes))
        let stranger = Peer(key: SigningKeyPair().publicKey, kind: .user)
        guard case .error(let e) = await processor.handle(put, from: stranger) else {
            Issue.record("a stranger could store")
            return
        }
        #expect(e.code == .forbidden)
        #expect(await processor.handle(put, from: Peer(key: allowed, kind: .user)) == .putBlockResult(stored: true))
        #expect(await processor.handle(.getBlock(id: BlockID.of(bytes)), from: stranger) == .block(bytes: ByteBuffer(bytes: bytes)))
        #expect(await processor.handle(put, from: Peer(key: SigningKeyPair().publicKey, kind: .node)) == .putBlockResult(stored: false))
    }
}
