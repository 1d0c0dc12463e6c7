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
    private let onListening: @Sendable (PeerAddress) -> Void

    /// Opens the data path (lock, store, node key). Binding happens in `run()`.
    public init(
        settings: NodeSettings, logger: Logger, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onListening: @escaping @Sendable (PeerAddress) -> Void = { _ in }
    ) throws {
        self.settings = settings
        self.logger = logger
        self.group = group
        self.onListening = onListening
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
            throw NodeError(.bindFailed, "cannot listen on \(listen): \(error)")
        }
        let port = serverChannel.channel.localAddress?.port ?? listen.port
        let bound = PeerAddress(host: listen.host, port: port)
        boundAddress.withLockedValue { $0 = bound }
        let me = NodeIdentity(id: nodeKey.id, address: bound.description, key: nodeKey.keys.publicKey)
        let transport = NodeTransport(identity: nodeKey.keys, networkKey: settings.networkKey, deadlines: settings.peerDeadlines, logger: logger)
        let ring = RingService(me: me, settings: settings.ring, transport: transport, logger: logger)
        let replicator = Replicator(ring: ring, transport: transport, replicas: settings.replicas, logger: logger)
        let processor = RequestProcessor(
            store: store, placement: SingleNodePlacement(node: me), node: me, allowedUsers: settings.allowedUsers,
            replicator: replicator, logger: logger)
        logger.info("node listening", metadata: ["node": "\(nodeKey.id)", "address": "\(bound)"])
        onListening(bound)

        let repair = AntiEntropy(store: store, replicator: replicator, interval: settings.antiEntropyInterval, logger: logger)
        let repairTask = Task { await repair.run() }
        defer { repairTask.cancel() }
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { await self.joinRing(ring, transport: transport, bound: bound) }
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

    /// Joins the ring of `-initialPeerAddr`, or starts a ring of one when there is none (or it does not answer yet);
    /// while alone, keeps trying the initial peer, so a start-up order mistake heals itself. A peer that answers but
    /// refuses the secure handshake (another network key, most likely) is said loudly: that mistake does not heal.
    private func joinRing(_ ring: RingService, transport: NodeTransport, bound: PeerAddress) async {
        guard let peer = settings.initialPeer, peer.hostPort != bound.hostPort else {
            logger.notice("starting a new ring: this is its first node")
            await ring.startAlone()
            return
        }
        var outcome = await tryJoin(ring, transport: transport, peer: peer)
        if outcome == .joined { return }
        report(outcome, peer: peer)
        await ring.startAlone()
        var attempts = 0
        while !Task.isCancelled {
            try? await Task.sleep(for: settings.rejoinInterval)
            if connections.withLockedValue({ $0.shuttingDown }) { return }
            guard await ring.isAlone else { return }
            let previous = outcome
            outcome = await tryJoin(ring, transport: transport, peer: peer)
            if outcome == .joined { return }
            attempts += 1
            // Say it again when the reason changes, and every 20 attempts (about a minute) while a handshake is refused.
            if outcome != previous || (attempts % 20 == 0 && outcome.isRefusal) { report(outcome, peer: peer) }
        }
    }

    /// How one attempt to join through the initial peer ended.
    enum JoinOutcome: Equatable {
        case joined
        /// Nothing listens there, the connection failed, or the peer did not let us in yet.
        case noAnswer
        /// A node listens there but the secure handshake failed: another network key, most likely.
        case handshakeRefused(String)
        /// The peer proved another key than the one given with `-initialPeerAddr KEY@HOST:PORT`.
        case otherKey
        /// The peer proved a key whose ring id is not the id it claims.
        case idMismatch

        var isRefusal: Bool { if case .handshakeRefused = self { true } else { false } }
    }

    private func report(_ outcome: JoinOutcome, peer: PeerAddress) {
        switch outcome {
        case .joined:
            break
        case .noAnswer:
            logger.warning("the initial peer does not answer: starting a ring of our own and trying it again",
                           metadata: ["peer": "\(peer)"])
        case .handshakeRefused(let reason):
            logger.warning(
                "the initial peer refused the secure handshake: it probably uses another network key (give every node of a ring the same -networkKeyFile). Not joining it: running a ring of our own and trying it again",
                metadata: ["peer": "\(peer)", "error": "\(reason)"])
        case .otherKey:
            logger.error("the initial peer proved another key than the one given in -initialPeerAddr KEY@HOST:PORT; not joining it",
                         metadata: ["peer": "\(peer)"])
        case .idMismatch:
            logger.error("the initial peer's ring id does not match its key; not joining it", metadata: ["peer": "\(peer)"])
        }
    }

    private func tryJoin(_ ring: RingService, transport: NodeTransport, peer: PeerAddress) async -> JoinOutcome {
        do {
            let client = try await transport.client(for: peer.hostPort, key: peer.key)
            let id = try await client.ping()
            guard let key = client.remoteKey, Peer.ringID(of: key) == id else { return .idMismatch }
            let joined = await ring.join(via: NodeIdentity(id: id, address: peer.hostPort, key: key))
            if joined { logger.notice("joined the ring", metadata: ["via": "\(peer)"]) }
            return joined ? .joined : .noAnswer
        } catch let error as WireError where error.code == .serverKeyChanged {
            return .otherKey
        } catch let error as WireError where error.code == .handshakeFailed {
            // Connected, but the secure handshake failed: distinct from nothing listening (`connectionFailed`).
            logger.debug("initial peer refused the handshake", metadata: ["peer": "\(peer)", "error": "\(error)"])
            return .handshakeRefused(error.message)
        } catch {
            logger.debug("initial peer not reachable", metadata: ["peer": "\(peer)", "error": "\(error)"])
            return .noAnswer
        }
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
