import ChordRing
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PeerStoreCrypto
import PeerStoreWire

/// A node that says what a test wants: a listener on 127.0.0.1 that completes the secure handshake with its own key
/// (open demo network key) and answers `status` with whatever `status(me)` makes of its genuine identity, `ping` with
/// its id, `getRecord` with none, inbox, lease and batched block messages as a node older than them does (unknown
/// message type; a placed batch as malformed), single block puts and reads (placed or not) from a table of its own
/// (`held`; `haveBlocks` answers from it), anything else with an error. For testing what clients believe.
final class LyingNode: @unchecked Sendable {
    let keys = SigningKeyPair()
    /// The blocks put here, by id.
    let held = NIOLockedValueBox<[Identifier: ByteBuffer]>([:])
    private let channel: Channel
    let port: Int

    var id: Identifier { Identifier(bytes: Blake2b.hash(keys.publicKey, outputLength: 32))! }
    var address: String { "127.0.0.1:\(port)" }
    var identity: NodeIdentity { NodeIdentity(id: id, address: address, key: keys.publicKey) }

    init(status: @escaping @Sendable (NodeIdentity) -> NodeStatus) async throws {
        let (keys, held) = (self.keys, self.held)
        let settings = SecureChannelSettings(networkKey: .openDemo, identity: keys)
        let portBox = PortBox()
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addWireHandlers(
                        role: .server, security: .server(settings, SecureChannelOutcome(eventLoop: channel.eventLoop)))
                    try channel.pipeline.syncOperations.addHandler(Answerer(me: { portBox.identity(keys) }, status: status, held: held))
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
        let held: NIOLockedValueBox<[Identifier: ByteBuffer]>

        init(me: @escaping () -> NodeIdentity, status: @escaping (NodeIdentity) -> NodeStatus,
             held: NIOLockedValueBox<[Identifier: ByteBuffer]>) {
            self.me = me
            self.status = status
            self.held = held
        }

        /// The answer to a single block put or read; nil for anything else.
        func blockAnswer(_ message: WireMessage) -> WireMessage? {
            switch message {
            case .putBlock(let id, let bytes):
                return .putBlockResult(stored: held.withLockedValue { $0.updateValue(bytes, forKey: id) == nil })
            case .getBlock(let id):
                guard let bytes = held.withLockedValue({ $0[id] }) else { return .error(WireError(.notFound, "not held")) }
                return .block(bytes: bytes)
            default:
                return nil
            }
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let request = unwrapInboundIn(data)
            let answer: WireMessage
            switch request.message {
            case .status: answer = .statusResult(status(me()))
            case .ping: answer = .pong(nodeID: me().id)
            case .getRecord: answer = .recordResult(record: nil)
            case .haveBlocks(let ids): answer = .haveBlocksResult(present: held.withLockedValue { h in ids.map { h[$0] != nil } })
            case .putBlock, .getBlock: answer = blockAnswer(request.message)!
            case .placedPut(_, .putBlocks):
                answer = .error(WireError(.malformedMessage, "malformed placedPut message: bad role or inner message"))
            case .placedPut(_, .putBlock(let id, let bytes)): answer = blockAnswer(.putBlock(id: id, bytes: bytes))!
            case .placedPut(_, .getBlock(let id)): answer = blockAnswer(.getBlock(id: id))!
            case .inboxPost, .inboxList, .inboxRemove, .inboxIDs, .haveBlocksLeased, .leaseBlocks, .releaseBlocks, .putBlocks, .getBlocks:
                answer = .error(WireError(.unknownMessageType, "unknown message type 0x\(String(request.message.type.rawValue, radix: 16))"))
            default: answer = .error(WireError(.internalError, "a lying node answers only status, ping and getRecord"))
            }
            context.writeAndFlush(wrapOutboundOut(Envelope(requestID: request.requestID, message: answer)), promise: nil)
        }
    }
}
