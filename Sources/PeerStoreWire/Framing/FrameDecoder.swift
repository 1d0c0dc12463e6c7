import NIOCore

/// Cuts the inbound byte stream into `Frame`s; a length over the limit is an error that closes the connection.
public struct FrameDecoder: ByteToMessageDecoder, Sendable {
    public typealias InboundOut = Frame

    public let maxFrameSize: Int

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
        guard buffer.readableBytes >= 4 + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 4)
        let type = buffer.readInteger(as: UInt8.self)!
        let requestID = buffer.readInteger(as: UInt64.self)!
        let payload = buffer.readSlice(length: Int(length) - 9)!
        context.fireChannelRead(Self.wrapInboundOut(Frame(type: type, requestID: requestID, payload: payload)))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
