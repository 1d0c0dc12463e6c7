import ChordRing
import NIOCore
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreTestKit
import PeerStoreWire
import Testing

@Suite("Wire message codec")
struct WireMessageCodecTests {
    static func decode(_ message: WireMessage, payload: [UInt8]) throws -> WireMessage {
        try WireMessageCodec.decode(type: message.type.rawValue, payload: ByteBuffer(bytes: payload))
    }

    static func encoded(_ message: WireMessage) -> [UInt8] {
        Array(WireMessageCodec.encode(message).readableBytesView)
    }

    /// Messages whose last field is "the rest of the payload": a shorter or longer payload is still well formed. A
    /// status ends in optional fields that later builds may extend.
    static func hasOpaqueTail(_ message: WireMessage) -> Bool {
        switch message {
        case .putBlock, .block, .placedPut(_, .putBlock), .statusResult: true
        default: false
        }
    }

    /// Bytes before the opaque tail starts (the id of a put block; role, type and id of a forwarded one).
    static func opaqueTailStart(_ message: WireMessage) -> Int {
        switch message {
        case .putBlock: return 32
        case .placedPut: return 34
        case .statusResult(var status):
            // The fields every build sends.
            status.replicas = nil
            return encoded(.statusResult(status)).count
        default: return 0
        }
    }

    @Test func everyMessageTypeIsCoveredByTheFixtures() {
        let covered = Set(WireFixtures.allMessages.map(\.type))
        #expect(covered == Set(MessageType.allCases))
    }

    @Test(arguments: WireFixtures.allMessages)
    func roundTrip(message: WireMessage) throws {
        let payload = WireMessageCodec.encode(message)
        let decoded = try WireMessageCodec.decode(type: message.type.rawValue, payload: payload)
        #expect(decoded == message)
    }

    @Test func signedRecordSurvivesTheWireWithAValidSignature() throws {
        let record = WireFixtures.record(seq: 42)
        #expect(record.hasValidSignature)
        guard case .putRecord(let back, let expected) = try Self.decode(.putRecord(record: record, expectedSeq: 41),
                                                                       payload: Self.encoded(.putRecord(record: record, expectedSeq: 41)))
        else { Issue.record("wrong case"); return }
        #expect(back == record && back.hasValidSignature && expected == 41)
    }

    @Test(arguments: WireFixtures.allMessages)
    func truncatedPayloadNeverCrashes(message: WireMessage) {
        let full = Self.encoded(message)
        for length in 0..<full.count {
            let prefix = Array(full.prefix(length))
            if Self.hasOpaqueTail(message) && length >= Self.opaqueTailStart(message) {
                // Still well formed, but must not pretend to be the original.
                #expect((try? Self.decode(message, payload: prefix)) != message)
            } else {
                expectWireError(.malformedMessage, "\(message.type) cut at \(length)") {
                    _ = try Self.decode(message, payload: prefix)
                }
            }
        }
    }

    @Test(arguments: WireFixtures.allMessages)
    func trailingBytesAreRejected(message: WireMessage) {
        guard !Self.hasOpaqueTail(message) else { return }
        for extra in [[0], [1], [0xFF, 0xFF, 0xFF, 0xFF]] as [[UInt8]] {
            expectWireError(.malformedMessage, "\(message.type) + \(extra)") {
                _ = try Self.decode(message, payload: Self.encoded(message) + extra)
            }
        }
    }

    /// A status carries the node's replica count at its end; a status of a build before it (no count) still reads, and
    /// fields a later build adds after it are skipped.
    @Test func statusReplicasAreOptionalAndLaterFieldsAreSkipped() throws {
        let key = [UInt8](repeating: 3, count: 32)
        let node = NodeIdentity(id: Identifier(bytes: Blake2b.hash(key, outputLength: 32))!, address: "127.0.0.1:9", key: key)
        #expect(node.isGenuine)
        let old = NodeStatus(node: node, predecessor: nil, successors: [node], blocks: 2, bytes: 3)
        var new = old
        new.replicas = 3
        #expect(try Self.decode(.statusResult(new), payload: Self.encoded(.statusResult(new))) == .statusResult(new))
        let oldBytes = Self.encoded(.statusResult(old))
        #expect(try Self.decode(.statusResult(old), payload: oldBytes) == .statusResult(old))
        #expect(Self.encoded(.statusResult(new)) == oldBytes + [3])
        #expect(try Self.decode(.statusResult(new), payload: oldBytes + [3, 0xAB, 0xCD]) == .statusResult(new))
    }

    @Test func statusActivityFollowsReplicasAndLaterFieldsAreSkipped() throws {
        let key = [UInt8](repeating: 4, count: 32)
        let node = NodeIdentity(id: Identifier(bytes: Blake2b.hash(key, outputLength: 32))!, address: "127.0.0.1:9", key: key)
        let withReplicas = NodeStatus(node: node, predecessor: nil, successors: [node], blocks: 2, bytes: 3, replicas: 3)
        var new = withReplicas
        new.activity = NodeActivity(uptime: 77, putsLastMinute: 5, getsLastMinute: 6, requests: 1 << 40,
                                    lastRepairAgo: nil, replicaDeficit: 9, repairBacklog: 1)
        let bytes = Self.encoded(.statusResult(new))
        let before = Self.encoded(.statusResult(withReplicas))
        #expect(bytes.count == before.count + 33)
        #expect(Array(bytes.prefix(before.count)) == before, "what builds before the activity read comes first, unchanged")
        #expect(try Self.decode(.statusResult(new), payload: bytes) == .statusResult(new))
        #expect(try Self.decode(.statusResult(new), payload: bytes + [0xEE, 0xFF]) == .statusResult(new))
        #expect(try Self.decode(.statusResult(withReplicas), payload: before) == .statusResult(withReplicas))
        new.activity?.lastRepairAgo = 12
        #expect(try Self.decode(.statusResult(new), payload: Self.encoded(.statusResult(new))) == .statusResult(new))
        // Without replicas there is nowhere to put it: it is not sent.
        var noReplicas = new
        noReplicas.replicas = nil
        noReplicas.activity = nil
        var sent = new
        sent.replicas = nil
        #expect(try Self.decode(.statusResult(noReplicas), payload: Self.encoded(.statusResult(sent))) == .statusResult(noReplicas))
    }

    @Test func unknownMessageTypesAreRejected() {
        let known = Set(MessageType.allCases.map(\.rawValue))
        for raw in UInt8.min...UInt8.max where !known.contains(raw) {
            expectWireError(.unknownMessageType, "type \(raw)") {
                _ = try WireMessageCodec.decode(type: raw, payload: ByteBuffer())
            }
        }
    }

    @Test(arguments: [UInt32(WireMessageCodec.maxHaveBlocksBatch + 1), UInt32.max])
    func haveBlocksCountOverTheLimitIsRejectedBeforeAllocating(count: UInt32) {
        // Only the count is sent: a decoder that trusted it would reserve up to 128 GiB of ids.
        for type in [MessageType.haveBlocks, .haveBlocksResult] {
            var payload = ByteBuffer()
            payload.writeInteger(count)
            expectWireError(.malformedMessage) { _ = try WireMessageCodec.decode(type: type.rawValue, payload: payload) }
        }
    }

    @Test func haveBlocksAtTheLimitIsAccepted() throws {
        let ids = (0..<WireMessageCodec.maxHaveBlocksBatch).map { WireFixtures.id(UInt8(truncatingIfNeeded: $0)) }
        let message = WireMessage.haveBlocks(ids: ids)
        #expect(try Self.decode(message, payload: Self.encoded(message)) == message)
    }

    @Test func flagsOtherThanZeroOrOneAreMalformed() {
        for type in [MessageType.putBlockResult, .putRecordResult, .recordResult, .inboxPostResult, .inboxRemoveResult] {
            expectWireError(.malformedMessage) { _ = try WireMessageCodec.decode(type: type.rawValue, payload: ByteBuffer(bytes: [2])) }
        }
    }

    @Test func errorMessagesAreBoundedAndUnknownCodesMapToInternal() throws {
        let long = WireMessage.error(WireError(.notFound, String(repeating: "x", count: 10_000)))
        guard case .error(let cut) = try Self.decode(long, payload: Self.encoded(long)) else { Issue.record("wrong case"); return }
        #expect(cut.code == .notFound && cut.message.utf8.count == WireMessageCodec.maxErrorMessageLength)

        var overLimit = ByteBuffer()
        overLimit.writeInteger(UInt16(5))
        overLimit.writeInteger(UInt16(WireMessageCodec.maxErrorMessageLength + 1))
        overLimit.writeBytes([UInt8](repeating: 65, count: WireMessageCodec.maxErrorMessageLength + 1))
        expectWireError(.malformedMessage) { _ = try WireMessageCodec.decode(type: MessageType.error.rawValue, payload: overLimit) }

        let unknownCode = try WireMessageCodec.decode(type: MessageType.error.rawValue, payload: ByteBuffer(bytes: [0xBE, 0xEF, 0, 1, 65]))
        #expect(unknownCode == .error(WireError(.internalError, "A")))
    }

    @Test func randomPayloadsOfEveryTypeNeverCrash() {
        var rng = SeededRandom(seed: 0x5EED_0F_F1EE)
        var accepted = 0
        for type in MessageType.allCases {
            for round in 0..<3000 {
                let count = round % 3 == 0 ? Int.random(in: 0..<8, using: &rng) : Int.random(in: 0..<300, using: &rng)
                var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
                // Bias some inputs towards well-formed prefixes (flags 0/1, record version 1, small counts).
                if round % 2 == 0, !bytes.isEmpty { bytes[0] = UInt8(round / 2 % 2) }
                if round % 4 == 0, bytes.count > 1 { bytes[1] = 1 }
                do {
                    let message = try WireMessageCodec.decode(type: type.rawValue, payload: ByteBuffer(bytes: bytes))
                    accepted += 1
                    #expect(message.type == type)
                    // Whatever decodes must re-encode to something that decodes to the same message.
                    let again = try WireMessageCodec.decode(type: type.rawValue, payload: WireMessageCodec.encode(message))
                    #expect(again == message, "\(type) \(bytes)")
                } catch is WireError {
                } catch {
                    Issue.record("\(type): non-wire error \(error) for \(bytes)")
                }
            }
        }
        #expect(accepted > 0)
    }
}

