import NIOCore
import NIOEmbedded
import NIOTestUtils
import PeerStoreWire
import Testing

@Suite("Frame decoder")
struct FrameCodecTests {
    static func frameBytes(_ frame: Frame) -> ByteBuffer {
        var payload = frame.payload
        var out = ByteBuffer()
        out.writeInteger(UInt32(9 + payload.readableBytes))
        out.writeInteger(frame.type)
        out.writeInteger(frame.requestID)
        out.writeBuffer(&payload)
        return out
    }

    static func rawHeader(length: UInt32, type: UInt8 = 1, requestID: UInt64 = 1) -> ByteBuffer {
        var out = ByteBuffer()
        out.writeInteger(length)
        out.writeInteger(type)
        out.writeInteger(requestID)
        return out
    }

    @Test func encoderWritesPinnedLayout() throws {
        let bytes = Self.frameBytes(Frame(type: 0x12, requestID: 0x0102_0304_0506_0708, payload: ByteBuffer(bytes: [0xAA, 0xBB])))
        #expect(Array(bytes.readableBytesView) == [0, 0, 0, 11, 0x12, 1, 2, 3, 4, 5, 6, 7, 8, 0xAA, 0xBB])
    }

    @Test func verifierAcceptsFramesOfVariedSizesInAnySplit() throws {
        let sizes = [0, 1, 2, 8, 9, 31, 255, 256, 1000, 4099]
        var pairs: [(ByteBuffer, [Frame])] = []
        for (i, size) in sizes.enumerated() {
            let payload = ByteBuffer(bytes: (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) })
            let frame = Frame(type: UInt8(i + 1), requestID: UInt64(i) &* 0x1_0000_0001, payload: payload)
            pairs.append((Self.frameBytes(frame), [frame]))
        }
        // Two frames in one buffer decode to two outputs.
        let a = Frame(type: 0x7F, requestID: .max, payload: ByteBuffer(bytes: [1]))
        let b = Frame(type: 0x01, requestID: 0, payload: ByteBuffer())
        var both = Self.frameBytes(a)
        var second = Self.frameBytes(b)
        both.writeBuffer(&second)
        pairs.append((both, [a, b]))
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) { FrameDecoder(maxFrameSize: 8192) }
    }

    @Test func frameAtTheLimitIsAcceptedOneOverIsRejected() throws {
        let limit = 64
        let atLimit = Frame(type: 1, requestID: 2, payload: ByteBuffer(bytes: [UInt8](repeating: 3, count: limit - 9)))
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(maxFrameSize: limit)))
        try channel.writeInbound(Self.frameBytes(atLimit))
        #expect(try channel.readInbound(as: Frame.self) == atLimit)
        _ = try? channel.finish()

        let over = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(maxFrameSize: limit)))
        expectWireError(.frameTooLarge) { try over.writeInbound(Self.rawHeader(length: UInt32(limit + 1))) }
        _ = try? over.finish()
    }

    @Test func oversizedLengthThrowsBeforeThePayloadArrives() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder()))
        // Only the 4-byte length: the decoder must not wait for 4 GiB.
        var header = ByteBuffer()
        header.writeInteger(UInt32.max)
        expectWireError(.frameTooLarge) { try channel.writeInbound(header) }
        #expect(try channel.readInbound(as: Frame.self) == nil)
        _ = try? channel.finish()
    }

    @Test(arguments: [0, 1, 8] as [UInt32])
    func lengthShorterThanHeaderIsMalformed(length: UInt32) throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder()))
        expectWireError(.malformedFrame) { try channel.writeInbound(Self.rawHeader(length: length)) }
        #expect(try channel.readInbound(as: Frame.self) == nil)
        _ = try? channel.finish()
    }

    @Test func framesFedInSmallPiecesComeOutWhole() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder()))
        let frames = (0..<20).map { i in
            Frame(type: UInt8(i), requestID: UInt64(i) * 1_000_003,
                  payload: ByteBuffer(bytes: [UInt8](repeating: UInt8(i), count: i * 97)))
        }
        var wire = ByteBuffer()
        for frame in frames {
            var bytes = Self.frameBytes(frame)
            wire.writeBuffer(&bytes)
        }
        #expect(wire.readableBytes == frames.reduce(0) { $0 + 13 + $1.payload.readableBytes })
        // Fed in 7-byte pieces.
        while wire.readableBytes > 0 {
            try channel.writeInbound(wire.readSlice(length: min(7, wire.readableBytes))!)
        }
        for frame in frames {
            #expect(try channel.readInbound(as: Frame.self) == frame)
        }
        #expect(try channel.readInbound(as: Frame.self) == nil)
        #expect(try channel.finish().isClean)
    }
}
