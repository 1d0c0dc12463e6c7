import ChordRing
import NIOCore
import NIOPosix
import PeerStoreCrypto
import PeerStoreWire

/// A node that says what a test wants: a listener on 127.0.0.1 that completes the secure handshake with its own key
/// (open demo network key) and answers `status` with whatever `status(me)` makes of its genuine identity, `ping` with
/// its id, `getRecord` with none, `haveBlocks` with none held, inbox and lease messages as a node older than them does
/// (unknown message type), anything else with an error. For testing what clients believe.
final class LyingNode: @unchecked Sendable {
    let keys = SigningKeyPair()
    private let channel: Channel
    let port: Int

    var id: Identifier { Identifier(bytes: Blake2b.hash(keys.publicKey, outputLength: 32))! }
    var address: String { "127.0.0.1:\(port)" }
    var identity: NodeIdentity { NodeIdentity(id: id, address: address, key: keys.publicKey) }

    init(status: @escaping @Sendable (NodeIdentity) -> NodeStatus) async throws {
        let keys = self.keys
        let settings = SecureChannelSettings(networkKey: .openDemo, identity: keys)
        let portBox = PortBox()
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addWireHandlers(
                        role: .server, security: .server(settings, SecureChannelOutcome(eventLoop: channel.eventLoop)))
                    try channel.pipeline.syncOperations.addHandler(Answerer(me: { portBox.identity(keys) }, status: status))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
        portBox.port = port
    }

    func stop() async { try? await channel.close() }

    private final class PortBox: @unchecked Sendable {
        var port = 0
        func identity(_ keys: SigningKeyPair) -> NodeIdentity {
            NodeIdentity(id: Identifier(bytes: Blake2b.hash(keys.publicKey, outputLength: 32))!, address: "127.0.0.1:\(port)",
                         key: keys.publicKey)
        }
    }

    private final class Answerer: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = Envelope
        typealias OutboundOut = Envelope
        let me: () -> NodeIdentity
        let status: (NodeIdentity) -> NodeStatus

        init(me: @escaping () -> NodeIdentity, status: @escaping (NodeIdentity) -> NodeStatus) {
            self.me = me
            self.status = status
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let request = unwrapInboundIn(data)
            let answer: WireMessage
            switch request.message {
            case .status: answer = .statusResult(status(me()))
            case .ping: answer = .pong(nodeID: me().id)
            case .getRecord: answer = .recordResult(record: nil)
            case .haveBlocks(let ids): answer = .haveBlocksResult(present: ids.map { _ in false })
            case .inboxPost, .inboxList, .inboxRemove, .inboxIDs, .haveBlocksLeased, .leaseBlocks, .releaseBlocks:
                answer = .error(WireError(.unknownMessageType, "unknown message type 0x\(String(request.message.type.rawValue, radix: 16))"))
            default: answer = .error(WireError(.internalError, "a lying node answers only status, ping and getRecord"))
            }
            context.writeAndFlush(wrapOutboundOut(Envelope(requestID: request.requestID, message: answer)), promise: nil)
        }
    }
}
