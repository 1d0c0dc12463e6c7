import NIOCore

/// How a connection is protected.
///
/// This is the seam for the secure channel: a later step adds a case that puts the handshake and the encrypted
/// framing handlers in front of the frame codec, below everything else, so nothing above it changes.
public enum ChannelSecurity: Sendable {
    /// Plain TCP, as in wire v1 before the secure channel.
    case plaintext
}

extension ChannelPipeline.SynchronousOperations {
    /// Adds the wire v1 handlers: [security] -> frame decoder/encoder -> envelope codec.
    public func addWireHandlers(
        role: EnvelopeCodec.Role, security: ChannelSecurity = .plaintext, maxFrameSize: Int = Frame.defaultMaxSize
    ) throws {
        switch security {
        case .plaintext:
            break
        }
        try addHandler(ByteToMessageHandler(FrameDecoder(maxFrameSize: maxFrameSize)))
        try addHandler(MessageToByteHandler(FrameEncoder()))
        try addHandler(EnvelopeCodec(role: role))
    }
}
