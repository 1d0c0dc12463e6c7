import ChordRing
import NIOCore
import PeerStoreCrypto
import Testing

@testable import PeerStoreWire

struct ChordCodecTests {
    func node(_ n: UInt8) -> NodeIdentity { WireFixtures.node(n, address: "127.0.0.1:\(3000 + Int(n))") }

    /// Entries a node could not have made of itself: no key, or an id that is not the key's hash.
    func keyless(_ n: UInt8) -> NodeIdentity { NodeIdentity(id: node(n).id, address: node(n).address) }
    func misplaced(_ n: UInt8) -> NodeIdentity { NodeIdentity(id: WireFixtures.id(n), address: node(n).address, key: node(n).key) }

    var samples: [ChordMessage] {
        [.findSuccessor(key: node(9).id), .findSuccessorReply(.found(owners: [node(1), node(2)])),
         .findSuccessorReply(.closer([node(3)])), .findSuccessorReply(.notReady), .getState,
         .state(predecessor: node(4), successors: (0..<20).map { node($0) }), .state(predecessor: nil, successors: []),
         .rectify, .ping, .pong, .leaving(predecessor: nil, successors: [node(5)])]
    }

    @Test func everyChordMessageRoundTripsInAFrame() throws {
        for (i, message) in samples.enumerated() {
            let envelope = ChordEnvelope(from: node(10), to: node(11), requestID: i % 2 == 0 ? UInt64(i) : nil, message: message)
            for wire in [WireMessage.chord(envelope), .chordReply(envelope), .chordReply(nil)] {
                let payload = WireMessageCodec.encode(wire)
                #expect(try WireMessageCodec.decode(type: wire.type.rawValue, payload: payload) == wire)
                // Every truncation is refused, never a crash.
                let bytes = Array(payload.readableBytesView)
                for cut in 0..<bytes.count {
                    #expect(throws: WireError.self) { try WireMessageCodec.decode(type: wire.type.rawValue, payload: ByteBuffer(bytes: bytes.prefix(cut))) }
                }
            }
        }
    }

    @Test func overlongListsAreRefused() {
        var out = ByteBuffer()
        ChordCodec.writeNode(node(1), &out)
        ChordCodec.writeNode(node(2), &out)
        out.writeInteger(UInt8(0))  // no request id
        out.writeInteger(UInt8(4))  // state
        out.writeInteger(UInt8(0))  // no predecessor
        out.writeInteger(UInt8(200))  // 200 successors announced
        #expect(throws: WireError.self) { try WireMessageCodec.decode(type: MessageType.chord.rawValue, payload: out) }
    }

    @Test func entriesWithNoKeyOrAnIDNotTheirKeysHashAreDropped() throws {
        let bad = [keyless(21), misplaced(22)]
        let cases: [(sent: ChordMessage, kept: ChordMessage)] = [
            (.findSuccessorReply(.found(owners: [bad[0], node(1), bad[1]])), .findSuccessorReply(.found(owners: [node(1)]))),
            (.findSuccessorReply(.closer(bad + [node(2)])), .findSuccessorReply(.closer([node(2)]))),
            (.state(predecessor: bad[1], successors: [node(3)] + bad), .state(predecessor: nil, successors: [node(3)])),
            (.state(predecessor: bad[0], successors: bad), .state(predecessor: nil, successors: [])),
            (.leaving(predecessor: bad[0], successors: [bad[1], node(4)]), .leaving(predecessor: nil, successors: [node(4)])),
        ]
        for (sent, kept) in cases {
            let envelope = ChordEnvelope(from: node(10), to: node(11), requestID: 1, message: sent)
            let payload = WireMessageCodec.encode(.chordReply(envelope))
            let decoded = try WireMessageCodec.decode(type: MessageType.chordReply.rawValue, payload: payload)
            #expect(decoded == .chordReply(ChordEnvelope(from: node(10), to: node(11), requestID: 1, message: kept)))
        }
        // A status names its node and lists others: the same rules.
        let status = NodeStatus(node: node(5), predecessor: bad[0], successors: [bad[1], node(6), bad[0]], blocks: 1, bytes: 2)
        #expect(try WireMessageCodec.decode(type: MessageType.statusResult.rawValue, payload: WireMessageCodec.encode(.statusResult(status)))
            == .statusResult(NodeStatus(node: node(5), predecessor: nil, successors: [node(6)], blocks: 1, bytes: 2)))
    }

    @Test func aSenderRecipientOrStatusNodeThatIsNotGenuineIsMalformed() {
        for n in [UInt8(30), 31] {
            let bad = n == 30 ? keyless(n) : misplaced(n)
            for envelope in [ChordEnvelope(from: bad, to: node(11), requestID: nil, message: .rectify),
                             ChordEnvelope(from: node(10), to: bad, requestID: 2, message: .getState)] {
                #expect(throws: WireError.self) {
                    try WireMessageCodec.decode(type: MessageType.chord.rawValue, payload: WireMessageCodec.encode(.chord(envelope)))
                }
            }
            let status = NodeStatus(node: bad, predecessor: nil, successors: [node(6)], blocks: 0, bytes: 0)
            #expect(throws: WireError.self) {
                try WireMessageCodec.decode(type: MessageType.statusResult.rawValue, payload: WireMessageCodec.encode(.statusResult(status)))
            }
        }
    }
}
