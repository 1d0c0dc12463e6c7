import Logging
import NIOCore

/// How a connection is protected.
public enum ChannelSecurity: Sendable {
    /// Plain TCP: only for codec tests and local measurements; nodes and clients always use the secure channel.
    case plaintext
    /// The Secret Handshake, then box-stream encryption (`SecureChannelHandler`), below the frame codec.
    case client(SecureChannelSettings, SecureChannelOutcome)
    case server(SecureChannelSettings, SecureChannelOutcome)
}

extension ChannelPipeline.SynchronousOperations {
    /// Adds the wire v1 handlers: [secure channel] -> frame decoder -> [partial-frame guard] -> envelope codec (which
    /// writes frame bytes). With a `partialFrames` budget, frames begun are held to it and to `partialFrameDeadline`.
    public func addWireHandlers(
        role: EnvelopeCodec.Role, security: ChannelSecurity = .plaintext, maxFrameSize: Int = Frame.defaultMaxSize,
        partialFrames: PartialFrameBudget? = nil, partialFrameDeadline: PartialFrameGuard.Deadline = .init(),
        logger: Logger = Logger(label: "peerstore.wire")
    ) throws {
        switch security {
        case .plaintext:
            break
        case .client(let settings, let outcome):
            try addHandler(SecureChannelHandler(client: settings, outcome: outcome, logger: logger))
        case .server(let settings, let outcome):
            try addHandler(SecureChannelHandler(server: settings, outcome: outcome, logger: logger))
        }
        try addHandler(ByteToMessageHandler(FrameDecoder(maxFrameSize: maxFrameSize)))
        if let partialFrames {
            try addHandler(PartialFrameGuard(budget: partialFrames, deadline: partialFrameDeadline, logger: logger))
        }
        try addHandler(EnvelopeCodec(role: role))
    }
}
