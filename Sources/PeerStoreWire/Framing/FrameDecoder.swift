import NIOCore

/// Cuts the inbound byte stream into `Frame`s; a length over the limit is an error that closes the connection. A frame
/// whose bytes have begun to arrive but are not all there is announced to the next handlers (`PartialFrame`).
public struct FrameDecoder: ByteToMessageDecoder, Sendable {
    public typealias InboundOut = Frame

    public let maxFrameSize: Int
    /// Whether `PartialFrame.started` was told of the frame being received.
    private var announced = false

    public init(maxFrameSize: Int = Frame.defaultMaxSize) {
        self.maxFrameSize = maxFrameSize
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return .needMoreData }
        guard length >= 9 else {
            throw WireError(.malformedFrame, "frame length \(length) is shorter than a frame header")
        }
        guard Int(length) <= maxFrameSize else {
            throw WireError(.frameTooLarge, "frame of \(length) bytes exceeds the \(maxFrameSize)-byte limit")
        }
        guard buffer.readableBytes >= 4 + Int(length) else {
            if !announced {
                announced = true
                context.fireUserInboundEventTriggered(PartialFrame.started(length: Int(length)))
            }
            return .needMoreData
        }
        buffer.moveReaderIndex(forwardBy: 4)
        let type = buffer.readInteger(as: UInt8.self)!
        let requestID = buffer.readInteger(as: UInt64.self)!
        let payload = buffer.readSlice(length: Int(length) - 9)!
        context.fireChannelRead(Self.wrapInboundOut(Frame(type: type, requestID: requestID, payload: payload)))
        if announced {
            announced = false
            context.fireUserInboundEventTriggered(PartialFrame.completed)
        }
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
