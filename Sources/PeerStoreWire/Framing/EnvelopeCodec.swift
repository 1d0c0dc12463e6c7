import NIOCore

/// Turns frames into envelopes, and envelopes into frame bytes.
///
/// On the server side a frame whose payload does not decode is answered with a typed error response (the frame
/// boundaries are intact, so the connection can go on); on the client side it is an error that closes the channel.
public final class EnvelopeCodec: ChannelDuplexHandler, Sendable {
    public typealias InboundIn = Frame
    public typealias InboundOut = Envelope
    public typealias OutboundIn = Envelope
    public typealias OutboundOut = ByteBuffer

    public enum Role: Sendable {
        case server
        case client
    }

    public let role: Role

    public init(role: Role) {
        self.role = role
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        do {
            let message = try WireMessageCodec.decode(type: frame.type, payload: frame.payload)
            context.fireChannelRead(wrapInboundOut(Envelope(requestID: frame.requestID, message: message)))
        } catch let error as WireError where role == .server {
            let reply = Envelope(requestID: frame.requestID, message: .error(error))
            context.writeAndFlush(wrapOutboundOut(Self.frame(reply, allocator: context.channel.allocator)), promise: nil)
        } catch {
            context.fireErrorCaught(error)
        }
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let envelope = unwrapOutboundIn(data)
        context.write(wrapOutboundOut(Self.frame(envelope, allocator: context.channel.allocator)), promise: promise)
    }

    /// The frame of `envelope` as bytes (layout in `Frame`): the payload is encoded right behind room for the header,
    /// which is filled in once the payload's length is known, so a block is copied once into its frame and no more.
    static func frame(_ envelope: Envelope, allocator: ByteBufferAllocator) -> ByteBuffer {
        var out = allocator.buffer(capacity: Frame.headerSize + 64 + envelope.message.bulkBytes)
        out.moveWriterIndex(forwardBy: Frame.headerSize)
        WireMessageCodec.encode(envelope.message, into: &out)
        let start = out.readerIndex
        out.setInteger(UInt32(out.readableBytes - 4), at: start)
        out.setInteger(envelope.message.type.rawValue, at: start + 4)
        out.setInteger(envelope.requestID, at: start + 5)
        return out
    }
}
