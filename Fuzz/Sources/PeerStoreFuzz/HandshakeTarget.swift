import Logging
import NIOCore
import NIOEmbedded
import PeerStoreCrypto
import PeerStoreWire

/// The server side of the secure channel (`addWireHandlers` with `.server` security on an `EmbeddedChannel`) fed
/// client messages. Byte 0 picks how far a real client goes first, so that random bytes reach every step:
/// - 0: none; the input is the whole client stream (message 1 and on);
/// - 1: a real client's hello; the input is message 3 and on;
/// - 2: a real, complete handshake; the input is plaintext the client seals into box-stream messages (the frame
///   decoder and envelope codec behind the secure channel read it);
/// - 3: a real, complete handshake; the input is raw box-stream bytes.
/// Byte 1 is the piece size the server is fed in (0: all at once).
enum HandshakeTarget {
    static let network = NetworkKey.openDemo
    static let serverIdentity = try! SigningKeyPair(seed: [UInt8](repeating: 7, count: 32))
    static let clientIdentity = try! SigningKeyPair(seed: [UInt8](repeating: 9, count: 32))
    static let quiet = Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() })

    static func run(_ data: [UInt8]) {
        guard data.count >= 2 else { return }
        let mode = data[0] % 4
        let pieceSize = Int(data[1])
        let input = Array(data.dropFirst(2))
        let channel = EmbeddedChannel()
        let outcome = SecureChannelOutcome(eventLoop: channel.eventLoop)
        let settings = SecureChannelSettings(networkKey: network, identity: serverIdentity, handshakeTimeout: .hours(1))
        do {
            try channel.pipeline.syncOperations.addWireHandlers(role: .server, security: .server(settings, outcome), logger: quiet)
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        } catch {
            fatalError("cannot set up the pipeline: \(error)")
        }
        defer { FrameTarget.finish(channel) }
        guard mode != 0 else { return FrameTarget.feed(input, pieceSize: pieceSize, into: channel) }
        var client = ClientHandshake(networkKey: network, identity: clientIdentity, expectedServerKey: nil)
        guard send(client.start(), to: channel) else { return }
        guard mode != 1 else { return FrameTarget.feed(input, pieceSize: pieceSize, into: channel) }
        guard let session = finish(&client, channel) else { fatalError("a real client's handshake failed") }
        if mode == 3 { return FrameTarget.feed(input, pieceSize: pieceSize, into: channel) }
        var sealer = BoxStreamSealer(key: session.sendKey, nonce: session.sendNonce)
        var sealed = channel.allocator.buffer(capacity: input.count + 64)
        sealer.seal(channel.allocator.buffer(bytes: input), into: &sealed)
        FrameTarget.feed(Array(sealed.readableBytesView), pieceSize: pieceSize, into: channel)
    }

    /// Writes one whole message to the server; false if the channel refused it.
    static func send(_ bytes: [UInt8], to channel: EmbeddedChannel) -> Bool {
        (try? channel.writeInbound(channel.allocator.buffer(bytes: bytes))) != nil
    }

    /// Runs the rest of a real client's handshake against the server's replies; the client's session keys.
    static func finish(_ client: inout ClientHandshake, _ channel: EmbeddedChannel) -> SessionKeys? {
        var replies = channel.allocator.buffer(capacity: 256)
        for _ in 0..<2 {
            while var out = try? channel.readOutbound(as: ByteBuffer.self) { replies.writeBuffer(&out) }
            guard let message = replies.readBytes(length: client.expectedLength),
                let (send, session) = try? client.receive(message)
            else { return nil }
            if let send { guard self.send(send, to: channel) else { return nil } }
            if let session { return session }
        }
        return nil
    }
}
