import ChordRing
import NIOCore
import PeerStoreCrypto
import Testing

@testable import PeerStoreWire

struct ChordCodecTests {
    func node(_ n: UInt8, key: Bool = true) -> NodeIdentity {
        NodeIdentity(id: Identifier(bytes: [UInt8](repeating: n, count: 32))!, address: "127.0.0.1:\(3000 + Int(n))",
                     key: key ? [UInt8](repeating: n &+ 1, count: 32) : nil)
    }

    var samples: [ChordMessage] {
        [.findSuccessor(key: node(9).id), .findSuccessorReply(.found(owners: [node(1), node(2, key: false)])),
         .findSuccessorReply(.closer([node(3)])), .findSuccessorReply(.notReady), .getState,
         .state(predecessor: node(4), successors: (0..<20).map { node($0) }), .state(predecessor: nil, successors: []),
         .rectify, .ping, .pong, .leaving(predecessor: nil, successors: [node(5)])]
    }

    @Test func everyChordMessageRoundTripsInAFrame() throws {
        for (i, message) in samples.enumerated() {
            let envelope = ChordEnvelope(from: node(10), to: node(11, key: false), requestID: i % 2 == 0 ? UInt64(i) : nil, message: message)
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
}
