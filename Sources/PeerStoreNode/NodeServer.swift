import BlockStore
import ChordRing
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PeerStoreWire
import ServiceLifecycle

/// An accepted connection and the outcome of its handshake.
struct Connection: Sendable {
    let channel: NIOAsyncChannel<Envelope, Envelope>
    let outcome: SecureChannelOutcome
}

/// The storage node: a TCP listener that serves wire v1 from a `BlockStore`. Runs as a ServiceLifecycle service, so
/// SIGTERM/SIGINT close the listener, finish the requests in flight and close the store cleanly.
public final class NodeServer: Service, Sendable {
    public let settings: NodeSettings
    private let logger: Logger
    private let group: EventLoopGroup
    private let store: BlockStore
    public let nodeKey: NodeKey
    private let connections = NIOLockedValueBox<(open: [ObjectIdentifier: Channel], shuttingDown: Bool)>(([:], false))
    private let boundAddress = NIOLockedValueBox<PeerAddress?>(nil)
    private let onListening: @Sendable (_ bound: PeerAddress, _ advertised: PeerAddress) -> Void

    /// Checks the addresses and opens the data path (lock, store, node key). Binding happens in `run()`.
    public init(
        settings: NodeSettings, logger: Logger, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onListening: @escaping @Sendable (_ bound: PeerAddress, _ advertised: PeerAddress) -> Void = { _, _ in }
    ) throws {
        self.settings = settings
        self.logger = logger
        self.group = group
        self.onListening = onListening
        try AdvertisedAddress.check(listen: settings.listenAddress, advertise: settings.advertiseAddress, initialPeer: settings.initialPeer)
        try DataFolder.prepare(settings.dataPath)
        self.store = try BlockStore(path: settings.dataPath, logger: logger)
        self.nodeKey = try NodeKey.loadOrCreate(dataPath: settings.dataPath)
    }

    public var address: PeerAddress? { boundAddress.withLockedValue { $0 } }


    public func run() async throws {
        let maxFrame = settings.maxFrameSize
        let listen = settings.listenAddress
        let secure = SecureChannelSettings(
            networkKey: settings.networkKey, identity: nodeKey.keys,
            handshakeTimeout: .nanoseconds(Int64(settings.handshakeTimeout.components.seconds) * 1_000_000_000
                + settings.handshakeTimeout.components.attoseconds / 1_000_000_000))
        let logger = self.logger
        let serverChannel: NIOAsyncChannel<Connection, Never>
        do {
            serverChannel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
                .bind(host: listen.host, port: listen.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let outcome = SecureChannelOutcome(eventLoop: channel.eventLoop)
                        try channel.pipeline.syncOperations.addWireHandlers(
                            role: .server, security: .server(secure, outcome), maxFrameSize: maxFrame, logger: logger)
                        return Connection(
                            channel: try NIOAsyncChannel<Envelope, Envelope>(wrappingChannelSynchronously: channel), outcome: outcome)
                    }
                }
        } catch {
            store.close()
            throw NodeError(.bindFailed, NetworkFailureText.listen(error, on: listen.description, port: listen.port))
        }
        let port = serverChannel.channel.localAddress?.port ?? listen.port
        let bound = PeerAddress(host: listen.host, port: port)
        let advertised: PeerAddress
        do {
            advertised = try AdvertisedAddress.resolve(listen: listen, boundPort: port, advertise: settings.advertiseAddress,
                                                     initialPeer: settings.initialPeer)
        } catch {
            try? await serverChannel.channel.close()
            store.close()
            throw error
        }
        boundAddress.withLockedValue { $0 = bound }
        // What the ring and clients are told: never a wildcard, and a loopback address only on a local ring.
        let me = NodeIdentity(id: nodeKey.id, address: advertised.description, key: nodeKey.keys.publicKey)
        let transport = NodeTransport(identity: nodeKey.keys, networkKey: settings.networkKey, deadlines: settings.peerDeadlines, logger: logger)
        let ring = RingService(me: me, settings: settings.ring, transport: transport, logger: logger)
        let replicator = Replicator(ring: ring, transport: transport, replicas: settings.replicas, logger: logger)
        let processor = RequestProcessor(
            store: store, placement: SingleNodePlacement(node: me), node: me, allowedUsers: settings.allowedUsers,
            replicator: replicator, logger: logger)
        logger.info("node listening", metadata: [
            "node": "\(nodeKey.id)", "address": "\(bound)", "advertised": "\(advertised)", "data": "\(settings.dataPath)",
        ])
        onListening(bound, advertised)

        let repair = AntiEntropy(store: store, replicator: replicator, interval: settings.antiEntropyInterval, logger: logger)
        let repairTask = Task { await repair.run() }
        defer { repairTask.cancel() }
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                let joiner = RingJoiner(settings: self.settings, own: [bound, advertised], logger: logger) {
                    self.connections.withLockedValue { $0.shuttingDown }
                }
                group.addTask { await joiner.run(ring, transport: transport) }
                try await serverChannel.executeThenClose { inbound in
                    for try await connection in inbound {
                        group.addTask { await self.serve(connection, processor: processor) }
                    }
                }
            }
        } onGracefulShutdown: {
            self.logger.info("shutting down: handing the range on, leaving the ring, closing connections")
            repairTask.cancel()
            Task {
                // Hand everything to the successor first (bounded), then tell the neighbours, then stop serving.
                _ = await repair.handOff(within: .seconds(60))
                await ring.leave()
                serverChannel.channel.close(promise: nil)
                let open = self.connections.withLockedValue { state in
                    state.shuttingDown = true
                    return Array(state.open.values)
                }
                for channel in open {
                    channel.close(mode: .input, promise: nil)
                }
            }
        }
        await ring.stop()
        await transport.closeAll()
        store.close()
        logger.info("node stopped cleanly")
    }

    /// Serves one connection: requests are handled concurrently up to a limit, responses go out as they finish.
    private func serve(_ accepted: Connection, processor: RequestProcessor) async {
        let connection = accepted.channel
        let key = ObjectIdentifier(connection.channel)
        let remote = connection.channel.remoteAddress?.description ?? "?"
        // A connection accepted just as shutdown began is closed at once rather than missed.
        let registered = connections.withLockedValue { state -> Bool in
            guard !state.shuttingDown else { return false }
            state.open[key] = connection.channel
            return true
        }
        guard registered else {
            try? await connection.channel.close()
            return
        }
        defer { _ = connections.withLockedValue { $0.open.removeValue(forKey: key) } }
        let limit = settings.maxInFlightPerConnection
        do {
            try await connection.executeThenClose { inbound, outbound in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    var inFlight = 0
                    for try await envelope in inbound {
                        if inFlight >= limit {
                            try await group.next()
                            inFlight -= 1
                        }
                        inFlight += 1
                        // Frames reach us only after the handshake, so the peer's key is known by now.
                        // Whether the peer is a node only matters to an allow list: ask the ring then, not on every request.
                        let members = processor.allowedUsers == nil ? [] : await processor.ring?.knownNodes ?? []
                        let peer = Peer.classify(key: accepted.outcome.remoteKey, ringMembers: members.union([processor.node.id]))
                        group.addTask {
                            let reply = await processor.handle(envelope, from: peer)
                            try await outbound.write(reply)
                        }
                    }
                    try await group.waitForAll()
                }
            }
        } catch let error as WireError {
            logger.warning("closed a connection after a protocol error", metadata: ["remote": "\(remote)", "error": "\(error)"])
        } catch {
            logger.debug("connection ended", metadata: ["remote": "\(remote)", "error": "\(error)"])
        }
    }
}
