import NIOCore
import NIOEmbedded
import PeerStoreWire
import Testing

@Suite("Envelope codec")
struct EnvelopeCodecTests {
    static func channel(role: EnvelopeCodec.Role) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addWireHandlers(role: role)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    static func frame(type: UInt8, requestID: UInt64, payload: [UInt8]) -> ByteBuffer {
        var out = ByteBuffer()
        out.writeInteger(UInt32(9 + payload.count))
        out.writeInteger(type)
        out.writeInteger(requestID)
        out.writeBytes(payload)
        return out
    }

    /// Reads every outbound byte buffer and decodes the frames in it.
    static func readReplies(_ channel: EmbeddedChannel) throws -> [Envelope] {
        var bytes = ByteBuffer()
        while var chunk = try channel.readOutbound(as: ByteBuffer.self) { bytes.writeBuffer(&chunk) }
        var replies: [Envelope] = []
        while let length = bytes.readInteger(as: UInt32.self) {
            let type = bytes.readInteger(as: UInt8.self)!
            let id = bytes.readInteger(as: UInt64.self)!
            let payload = bytes.readSlice(length: Int(length) - 9)!
            replies.append(Envelope(requestID: id, message: try WireMessageCodec.decode(type: type, payload: payload)))
        }
        return replies
    }

    @Test func serverDecodesWellFormedRequestsIntoEnvelopes() throws {
        let channel = try Self.channel(role: .server)
        let request = WireMessage.getBlock(id: WireFixtures.id(1))
        try channel.writeInbound(Self.frame(type: request.type.rawValue, requestID: 77,
                                            payload: Array(WireMessageCodec.encode(request).readableBytesView)))
        #expect(try channel.readInbound(as: Envelope.self) == Envelope(requestID: 77, message: request))
        _ = try? channel.finish()
    }

    @Test func serverAnswersMalformedRequestWithErrorOfSameIDAndStaysOpen() throws {
        let channel = try Self.channel(role: .server)
        // A get-block with a 3-byte id, then an unknown type: both framed correctly.
        try channel.writeInbound(Self.frame(type: MessageType.getBlock.rawValue, requestID: 0xDEAD_BEEF, payload: [1, 2, 3]))
        try channel.writeInbound(Self.frame(type: 0x55, requestID: 12, payload: []))
        #expect(try channel.readInbound(as: Envelope.self) == nil)
        let replies = try Self.readReplies(channel)
        #expect(replies.count == 2)
        if replies.count == 2 {
            #expect(replies[0].requestID == 0xDEAD_BEEF)
            guard case .error(let first) = replies[0].message else { Issue.record("not an error: \(replies[0])"); return }
            #expect(first.code == .malformedMessage)
            #expect(replies[1].requestID == 12)
            guard case .error(let second) = replies[1].message else { Issue.record("not an error: \(replies[1])"); return }
            #expect(second.code == .unknownMessageType)
        }
        #expect(channel.isActive)
        // The connection goes on: a good request after the bad ones still arrives.
        try channel.writeInbound(Self.frame(type: MessageType.ping.rawValue, requestID: 13, payload: []))
        #expect(try channel.readInbound(as: Envelope.self) == Envelope(requestID: 13, message: .ping))
        _ = try? channel.finish()
    }

    @Test func serverEncodesOutboundEnvelopes() throws {
        let channel = try Self.channel(role: .server)
        let reply = Envelope(requestID: 5, message: .putBlockResult(stored: true))
        try channel.writeOutbound(reply)
        #expect(try Self.readReplies(channel) == [reply])
        _ = try? channel.finish()
    }

    @Test func clientFiresAnErrorOnAMalformedResponse() throws {
        let channel = try Self.channel(role: .client)
        let error = #expect(throws: WireError.self) {
            try channel.writeInbound(Self.frame(type: MessageType.putBlockResult.rawValue,
                                                requestID: 1, payload: [7]))
        }
        #expect(error?.code == .malformedMessage)
        #expect(try channel.readInbound(as: Envelope.self) == nil)
        // The client never answers: nothing is written back.
        #expect(try Self.readReplies(channel).isEmpty)
        _ = try? channel.finish()
    }
}
