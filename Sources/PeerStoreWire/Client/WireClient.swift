import ChordRing
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOExtras
import NIOPosix
import PeerStoreConcurrency
import PeerStoreModel

/// One connection to a node with many requests in flight, matched to responses by request id. Every request has a
/// deadline: one that passes fails with `timedOut` and closes the connection (the node is then as good as down).
public final class WireClient: Sendable {
    public let address: PeerAddress
    private let channel: Channel
    private let nextID = NIOLockedValueBox<UInt64>(1)
    /// The node's long-term key, as proved in the handshake (nil on a plaintext connection).
    public let remoteKey: [UInt8]?
    /// How long each request may wait for its response.
    public let deadline: RequestDeadline
    /// Small puts and reads made at once, sent as batches (`WireClient+Batches`).
    let putBatches = RequestCoalescer<(Identifier, [UInt8]), Bool>(
        maxInFlight: BlockBatch.batchesInFlight, maxItems: BlockBatch.clientBlocks, maxWeight: BlockBatch.clientBytes)
    let getBatches = RequestCoalescer<Identifier, [UInt8]?>(
        maxInFlight: BlockBatch.batchesInFlight, maxItems: BlockBatch.clientBlocks)
    /// Set once the node answered a batch with unknownMessageType (it predates batches).
    let batchesRefused = NIOLockedValueBox(false)

    private init(address: PeerAddress, channel: Channel, remoteKey: [UInt8]?, deadline: RequestDeadline) {
        self.address = address
        self.channel = channel
        self.remoteKey = remoteKey
        self.deadline = deadline
    }

    /// Connects to `address` and, with `secure`, completes the secure handshake before returning; each of the two may
    /// take up to `connectTimeout`. Throws `connectionFailed` (nothing listens), `timedOut` (no handshake in time: the
    /// node is frozen or overloaded), `serverKeyChanged` (the node proved another key than the pinned one) or
    /// `handshakeFailed`, each with a message that names the address and says what to check.
    public static func connect(
        to address: PeerAddress, secure: SecureChannelSettings?, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        maxFrameSize: Int = Frame.defaultMaxSize, connectTimeout: TimeAmount = .seconds(5), deadline: RequestDeadline = .client,
        logger: Logger = Logger(label: "peerstore.wire")
    ) async throws -> WireClient {
        let outcomeBox = NIOLockedValueBox<SecureChannelOutcome?>(nil)
        var settings = secure
        if let key = address.key { settings?.expectedServerKey = key }
        if let current = settings?.handshakeTimeout { settings?.handshakeTimeout = min(current, connectTimeout) }
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(connectTimeout)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { [settings] channel in
                channel.eventLoop.makeCompletedFuture {
                    var security = ChannelSecurity.plaintext
                    if let settings {
                        let outcome = SecureChannelOutcome(eventLoop: channel.eventLoop)
                        outcomeBox.withLockedValue { $0 = outcome }
                        security = .client(settings, outcome)
                    }
                    try channel.pipeline.syncOperations.addWireHandlers(
                        role: .client, security: security, maxFrameSize: maxFrameSize, logger: logger)
                    try channel.pipeline.syncOperations.addHandler(NIORequestResponseWithIDHandler<Envelope, Envelope>())
                }
            }
        let channel: Channel
        do {
            channel = try await bootstrap.connect(host: address.host, port: address.port).get()
        } catch {
            throw WireError(.connectionFailed, NetworkFailureText.connect(error, to: address.hostPort))
        }
        guard let outcome = outcomeBox.withLockedValue({ $0 }) else {
            return WireClient(address: address, channel: channel, remoteKey: nil, deadline: deadline)
        }
        do {
            let key = try await outcome.established.futureResult.get()
            return WireClient(address: address, channel: channel, remoteKey: key, deadline: deadline)
        } catch let error as HandshakeError {
            try? await channel.close()
            switch error.code {
            case .timedOut:
                throw WireError(
                    .timedOut,
                    "the node at \(address) took the connection but did not finish the secure handshake within \(Duration.nanoseconds((settings?.handshakeTimeout ?? connectTimeout).nanoseconds).secondsText): it is frozen, overloaded or not a PeerStore node")
            case .serverKeyChanged:
                throw WireError(.serverKeyChanged, "the node at \(address) presented a different key than the one pinned for it")
            case .wrongNetworkKey:
                throw WireError(.handshakeFailed, "the node at \(address) uses another network key: check -networkKeyFile")
            default:
                throw WireError(.handshakeFailed, "secure handshake with \(address) failed: \(error.message)")
            }
        } catch {
            try? await channel.close()
            throw WireError(
                .handshakeFailed,
                "the node at \(address) closed the connection during the secure handshake: it uses another network key (check -networkKeyFile) or does not allow this user")
        }
    }

    /// Sends one request and waits for its response, at most `timeout` (default: the deadline for this message). An
    /// error response is thrown as `WireError`; a deadline that passes throws `timedOut` and closes the connection, so
    /// the other requests on it fail too and the caller treats the node as down.
    public func request(_ message: WireMessage, timeout: Duration? = nil) async throws -> WireMessage {
        let id = nextID.withLockedValue { value -> UInt64 in
            defer { value &+= 1 }
            return value
        }
        let promise = channel.eventLoop.makePromise(of: Envelope.self)
        // Once the channel is closed its handlers are gone and the request-response handler never sees the write, so
        // nobody would complete `promise`: fail it with the write (a second completion is ignored).
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { promise.fail($0) }
        let limit = timeout ?? deadline.timeout(for: message)
        let (channel, address) = (self.channel, self.address)
        let timer = channel.eventLoop.scheduleTask(in: TimeAmount(limit)) {
            promise.fail(WireError(
                .timedOut,
                "the node at \(address) did not answer a \(message.type) request within \(limit.secondsText): it is frozen, overloaded or cut off"))
            channel.close(promise: nil)
        }
        promise.futureResult.whenComplete { _ in timer.cancel() }
        channel.writeAndFlush((Envelope(requestID: id, message: message), promise), promise: written)
        let response: Envelope
        do {
            response = try await promise.futureResult.get()
        } catch let error as WireError {
            throw error
        } catch {
            throw WireError(.connectionClosed, NetworkFailureText.connection(error, to: address.hostPort))
        }
        if case .error(let error) = response.message { throw error }
        return response.message
    }

    /// The channel's allocator, for buffers built outside this file.
    var channelAllocator: ByteBufferAllocator { channel.allocator }

    public func close() async {
        try? await channel.close()
    }

    // MARK: Typed calls

    public func ping() async throws -> Identifier {
        guard case .pong(let nodeID) = try await request(.ping) else { throw unexpected("ping") }
        return nodeID
    }

    /// Stores a block; returns true if it was new on the node. A small block goes in a batch with the other small puts
    /// made at once (`BlockBatch`).
    @discardableResult
    public func putBlock(id: Identifier, bytes: [UInt8]) async throws -> Bool {
        if bytes.count <= BlockBatch.smallBlock && !batchesRefused.withLockedValue({ $0 }) {
            return try await putBatches.submit((id, bytes), weight: bytes.count) { try await self.putBlocks($0) }
        }
        return try await putBlockAlone(id: id, bytes: bytes)
    }

    /// Stores one block in a request of its own.
    func putBlockAlone(id: Identifier, bytes: [UInt8]) async throws -> Bool {
        let buffer = channel.allocator.buffer(bytes: bytes)
        guard case .putBlockResult(let stored) = try await request(.putBlock(id: id, bytes: buffer)) else {
            throw unexpected("put block")
        }
        return stored
    }

    /// The block's bytes, or nil if the node does not hold it (nor, for the owner, any other holder). The caller
    /// verifies the hash. With `small` (the caller expects at most `BlockBatch.smallBlock` bytes) the read goes in a
    /// batch with the other small reads made at once, and is asked alone only if the node does not hold the block itself.
    public func getBlock(id: Identifier, small: Bool = false) async throws -> [UInt8]? {
        if small && !batchesRefused.withLockedValue({ $0 }),
            let bytes = try await getBatches.submit(id, send: { try await self.getBlocks($0) }) {
            return bytes
        }
        return try await getBlockAlone(id: id)
    }

    /// Reads one block in a request of its own.
    func getBlockAlone(id: Identifier) async throws -> [UInt8]? {
        do {
            guard case .block(let bytes) = try await request(.getBlock(id: id)) else { throw unexpected("get block") }
            return Array(bytes.readableBytesView)
        } catch let error as WireError where error.code == .notFound {
            return nil
        }
    }

    /// For each id, whether the node holds it (batched).
    public func haveBlocks(_ ids: [Identifier]) async throws -> [Bool] {
        var answers = [Bool]()
        answers.reserveCapacity(ids.count)
        var start = 0
        while start < ids.count {
            let batch = Array(ids[start..<min(ids.count, start + HaveBlocksBatch.max)])
            guard case .haveBlocksResult(let present) = try await request(.haveBlocks(ids: batch)), present.count == batch.count
            else { throw unexpected("have blocks") }
            answers += present
            start += batch.count
        }
        return answers
    }

    @discardableResult
    public func putRecord(_ record: SignedRecord, expectedSeq: UInt64? = nil) async throws -> Bool {
        guard case .putRecordResult(let stored) = try await request(.putRecord(record: record, expectedSeq: expectedSeq)) else {
            throw unexpected("put record")
        }
        return stored
    }

    public func getRecord(key: Identifier) async throws -> SignedRecord? {
        guard case .recordResult(let record) = try await request(.getRecord(key: key)) else { throw unexpected("get record") }
        return record
    }

    public func status() async throws -> NodeStatus {
        guard case .statusResult(let status) = try await request(.status) else { throw unexpected("status") }
        return status
    }

    private func unexpected(_ what: String) -> WireError {
        WireError(.unexpectedResponse, "\(address) answered a \(what) request with the wrong message type")
    }
}
