import NIOCore

/// Turns frames into envelopes and back.
///
/// On the server side a frame whose payload does not decode is answered with a typed error response (the frame
/// boundaries are intact, so the connection can go on); on the client side it is an error that closes the channel.
public final class EnvelopeCodec: ChannelDuplexHandler, Sendable {
    public typealias InboundIn = Frame
    public typealias InboundOut = Envelope
    public typealias OutboundIn = Envelope
    public typealias OutboundOut = Frame

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

    static func frame(_ envelope: Envelope, allocator: ByteBufferAllocator) -> Frame {
        Frame(type: envelope.message.type.rawValue, requestID: envelope.requestID,
              payload: WireMessageCodec.encode(envelope.message, allocator: allocator))
    }
}
