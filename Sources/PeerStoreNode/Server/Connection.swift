import NIOCore
import PeerStoreWire

/// An accepted connection and the outcome of its handshake.
struct Connection: Sendable {
    let channel: NIOAsyncChannel<Envelope, Envelope>
    let outcome: SecureChannelOutcome
}
