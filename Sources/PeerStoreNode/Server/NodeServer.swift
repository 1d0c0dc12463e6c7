import BlockStore
import ChordRing
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PeerStoreWire
import ServiceLifecycle

/// The storage node: a TCP listener that serves wire v1 with the node's `NodeParts`. Runs as a ServiceLifecycle
/// service, so SIGTERM/SIGINT close the listener, finish the requests in flight and close the store cleanly.
public final class NodeServer: Service, Sendable {
    public let settings: NodeSettings
    let logger: Logger
    private let group: EventLoopGroup
    private let store: BlockStore
    public let nodeKey: NodeKey
    let state = NIOLockedValueBox(ServerState<ObjectIdentifier, any Channel>())
    /// Which connections to keep under a flood of them (`ConnectionAdmission`).
    let admission: NIOLockedValueBox<ConnectionAdmission<ObjectIdentifier>>
    private let built = NIOLockedValueBox<(bound: PeerAddress, parts: NodeParts)?>(nil)
    private let onListening: @Sendable (_ bound: PeerAddress, _ advertised: PeerAddress) -> Void

    /// Checks the addresses and opens the data path (lock, store, node key). Binding happens in `run()`.
    public init(
        settings: NodeSettings, logger: Logger, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onListening: @escaping @Sendable (_ bound: PeerAddress, _ advertised: PeerAddress) -> Void = { _, _ in }
    ) throws {
        self.settings = settings
        self.logger = logger
        self.group = group
        admission = NIOLockedValueBox(ConnectionAdmission(
            maxHandshaking: settings.maxHandshakingConnections, maxPerKey: settings.maxConnectionsPerKey))
        self.onListening = onListening
        try AdvertisedAddress.check(listen: settings.listenAddress, advertise: settings.advertiseAddress, initialPeer: settings.initialPeer)
        try DataFolder.prepare(settings.dataPath)
        var storeSettings = BlockStoreSettings()
        storeSettings.leaseBackupBound = settings.leases.backupBound
        storeSettings.maxSegmentSize = settings.maxSegmentSize
        self.store = try BlockStore(path: settings.dataPath, settings: storeSettings, logger: logger)
        self.nodeKey = try NodeKey.loadOrCreate(dataPath: settings.dataPath)
    }

    /// The address the server listens on, once it does.
    public var address: PeerAddress? { built.withLockedValue { $0?.bound } }
    /// The node's parts, once the server listens (they need the advertised address).
    public var parts: NodeParts? { built.withLockedValue { $0?.parts } }
    /// Whether the server is serving, draining or stopped.
    var phase: ServerState<ObjectIdentifier, any Channel>.Phase { state.withLockedValue { $0.phase } }

    public func run() async throws {
        let serverChannel = try await bind()
        let port = serverChannel.channel.localAddress?.port ?? settings.listenAddress.port
        let bound = PeerAddress(host: settings.listenAddress.host, port: port)
        let advertised: PeerAddress
        do {
            advertised = try AdvertisedAddress.resolve(listen: settings.listenAddress, boundPort: port,
                                                     advertise: settings.advertiseAddress, initialPeer: settings.initialPeer)
        } catch {
            try? await serverChannel.channel.close()
            store.close()
            throw error
        }
        let parts = NodeParts(settings: settings, store: store, nodeKey: nodeKey, advertised: advertised, logger: logger)
        built.withLockedValue { $0 = (bound, parts) }
        logger.info("node listening", metadata: [
            "node": "\(nodeKey.id)", "address": "\(bound)", "advertised": "\(advertised)", "data": "\(settings.dataPath)",
        ])
        onListening(bound, advertised)
        try await acceptUntilShutdown(serverChannel, parts: parts, own: [bound, advertised])
        await parts.ring.stop()
        await parts.transport.closeAll()
        store.close()
        state.withLockedValue { $0.stop() }
        logger.info("node stopped cleanly")
    }

    /// Binds the listener with the wire handlers on every accepted channel; closes the store if it cannot.
    private func bind() async throws -> NIOAsyncChannel<Connection, Never> {
        let maxFrame = settings.maxFrameSize
        let partialFrames = PartialFrameBudget(capacity: settings.partialFrameBudget)
        let partialFrameDeadline = settings.partialFrameDeadline
        let listen = settings.listenAddress
        let secure = SecureChannelSettings(
            networkKey: settings.networkKey, identity: nodeKey.keys,
            handshakeTimeout: .nanoseconds(Int64(settings.handshakeTimeout.components.seconds) * 1_000_000_000
                + settings.handshakeTimeout.components.attoseconds / 1_000_000_000))
        let logger = self.logger
        do {
            return try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
                .bind(host: listen.host, port: listen.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let outcome = SecureChannelOutcome(eventLoop: channel.eventLoop)
                        try channel.pipeline.syncOperations.addWireHandlers(
                            role: .server, security: .server(secure, outcome), maxFrameSize: maxFrame,
                            partialFrames: partialFrames, partialFrameDeadline: partialFrameDeadline, logger: logger)
                        return Connection(
                            channel: try NIOAsyncChannel<Envelope, Envelope>(wrappingChannelSynchronously: channel), outcome: outcome)
                    }
                }
        } catch {
            store.close()
            throw NodeError(.bindFailed, NetworkFailureText.listen(error, on: listen.description, port: listen.port))
        }
    }

    /// Accepts and serves until shutdown: joins the ring and runs anti-entropy meanwhile; on shutdown hands the range
    /// on, leaves the ring, then drains.
    private func acceptUntilShutdown(_ serverChannel: NIOAsyncChannel<Connection, Never>, parts: NodeParts, own: [PeerAddress]) async throws {
        let repair = parts.antiEntropy
        let repairTask = Task { await repair.run() }
        let compactor = parts.compactor
        let compactionTask = Task { await compactor.run() }
        let collector = parts.collector
        let collectTask = Task { await collector.run() }
        let scrubber = parts.scrubber
        let scrubTask = Task { await scrubber.run() }
        defer { repairTask.cancel(); compactionTask.cancel(); collectTask.cancel(); scrubTask.cancel() }
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                let joiner = RingJoiner(settings: self.settings, own: own, logger: self.logger) { self.phase != .serving }
                group.addTask { await joiner.run(parts.ring, transport: parts.transport) }
                try await serverChannel.executeThenClose { inbound in
                    for try await connection in inbound {
                        group.addTask { await self.serve(connection, processor: parts.processor) }
                    }
                }
            }
        } onGracefulShutdown: {
            self.logger.info("shutting down: handing the range on, leaving the ring, closing connections")
            repairTask.cancel()
            compactionTask.cancel()
            collectTask.cancel()
            scrubTask.cancel()
            Task {
                // Hand everything to the successor first (bounded), then tell the neighbours, then stop serving.
                _ = await repair.handOff(within: .seconds(60))
                await parts.ring.leave()
                serverChannel.channel.close(promise: nil)
                for channel in self.state.withLockedValue({ $0.drain() }) {
                    channel.close(mode: .input, promise: nil)
                }
            }
        }
    }
}
