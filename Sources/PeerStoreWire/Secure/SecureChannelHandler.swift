import Logging
import Metrics
import NIOConcurrencyHelpers
import NIOCore
import PeerStoreCrypto

/// How a secure connection is set up: the ring's network key, our long-term key, and what to accept of the other side.
public struct SecureChannelSettings: Sendable {
    public var networkKey: NetworkKey
    public var identity: SigningKeyPair
    /// Client: the server key pinned for this address (nil: learn it on first contact).
    public var expectedServerKey: [UInt8]?
    /// Server: whether a proved client key may connect at all.
    public var allow: @Sendable ([UInt8]) -> Bool
    /// A peer that has not finished the handshake by then is dropped (slow-loris).
    public var handshakeTimeout: TimeAmount
    /// Where the handshake metrics go (nil: the process's bootstrapped backend).
    public var metrics: (any MetricsFactory)?
    /// The box-stream suites this side offers after the handshake, best first (tests change it).
    public var suites: [StreamSuite] = StreamSuite.preference()

    public init(networkKey: NetworkKey, identity: SigningKeyPair, expectedServerKey: [UInt8]? = nil,
                allow: @escaping @Sendable ([UInt8]) -> Bool = { _ in true }, handshakeTimeout: TimeAmount = .seconds(10),
                metrics: (any MetricsFactory)? = nil) {
        self.networkKey = networkKey
        self.identity = identity
        self.expectedServerKey = expectedServerKey
        self.allow = allow
        self.handshakeTimeout = handshakeTimeout
        self.metrics = metrics
    }
}

extension SecureChannelSettings {
    /// Settings for the open demo ring (no network key file), with a given or fresh identity.
    public static func openDemo(identity: SigningKeyPair = SigningKeyPair()) -> SecureChannelSettings {
        SecureChannelSettings(networkKey: .openDemo, identity: identity)
    }
}

/// Where a connection's outcome is published: the other side's proved key, or why the handshake failed.
public final class SecureChannelOutcome: Sendable {
    private let state = NIOLockedValueBox<Result<SessionKeys, Error>?>(nil)
    private let agreed = NIOLockedValueBox<StreamSuite?>(nil)
    public let established: EventLoopPromise<[UInt8]>

    public init(eventLoop: EventLoop) {
        established = eventLoop.makePromise()
    }

    deinit {
        // A channel torn down before its handler ever ran must not leave the promise dangling.
        fail(WireError(.connectionClosed, "the connection closed before the secure handshake"))
    }

    /// The other side's long-term key, once established.
    public var remoteKey: [UInt8]? {
        state.withLockedValue { if case .success(let keys)? = $0 { keys.remoteKey } else { nil } }
    }

    /// The box-stream suite both sides agreed on, once established.
    public var suite: StreamSuite? { agreed.withLockedValue { $0 } }

    /// First outcome wins (the queued writes that precede it could close the channel).
    func succeed(_ keys: SessionKeys, suite: StreamSuite) {
        agreed.withLockedValue { $0 = $0 ?? suite }
        let first = state.withLockedValue { current -> Bool in
            guard current == nil else { return false }
            current = .success(keys)
            return true
        }
        if first { established.succeed(keys.remoteKey) }
    }

    func fail(_ error: Error) {
        let first = state.withLockedValue { current -> Bool in
            guard current == nil else { return false }
            current = .failure(error)
            return true
        }
        if first { established.fail(error) }
    }
}

/// The secure channel as a NIO handler, lowest in the pipeline: runs the handshake, exchanges the suite offers
/// (`SuiteOffer`: the first message each way, in secretbox), then turns plaintext into box-stream messages of the
/// agreed suite and back. Writes made before the handshake completes wait for it. Any failed MAC, a wrong
/// network key, garbage or a timeout closes the connection with one log line and nothing reaches the handlers above.
public final class SecureChannelHandler: ChannelDuplexHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    enum Side {
        case client(ClientHandshake)
        case server(ServerHandshake)
    }

    enum State {
        case handshaking(Side)
        /// Our offer is sent; the peer's is awaited before anything else goes either way.
        case negotiating(SessionKeys, client: Bool)
        case established
        case closed
    }

    private var state: State
    // Kept outside `state` so that a write made while a read is being delivered (a synchronous reply) advances the one
    // and only sending nonce: a stale copy written back would reuse a nonce.
    private var sealer: BoxStreamSealer?
    private var opener: BoxStreamOpener?
    private var inbound = ByteBuffer()
    private var queued: [(ByteBuffer, EventLoopPromise<Void>?)] = []
    private var flushQueued = false
    private var started = false
    private var timeout: Scheduled<Void>?
    private var handshakeStarted = ContinuousClock.now
    private let settings: SecureChannelSettings
    private let outcome: SecureChannelOutcome
    private let logger: Logger

    public init(client settings: SecureChannelSettings, outcome: SecureChannelOutcome, logger: Logger) {
        self.settings = settings
        self.outcome = outcome
        self.logger = logger
        state = .handshaking(.client(ClientHandshake(networkKey: settings.networkKey, identity: settings.identity,
                                                     expectedServerKey: settings.expectedServerKey)))
    }

    public init(server settings: SecureChannelSettings, outcome: SecureChannelOutcome, logger: Logger) {
        self.settings = settings
        self.outcome = outcome
        self.logger = logger
        state = .handshaking(.server(ServerHandshake(networkKey: settings.networkKey, identity: settings.identity)))
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { begin(context) }
    }

    public func channelActive(context: ChannelHandlerContext) {
        begin(context)
        context.fireChannelActive()
    }

    private func begin(_ context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        handshakeStarted = ContinuousClock.now
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timeout = context.eventLoop.scheduleTask(in: settings.handshakeTimeout) {
            let (handler, context) = loopBound.value
            switch handler.state {
            case .handshaking, .negotiating:
                handler.fail(context, HandshakeError(.timedOut, "the peer did not finish the handshake in time"))
            case .established, .closed:
                break
            }
        }
        if case .handshaking(.client(var hs)) = state {
            let hello = hs.start()
            state = .handshaking(.client(hs))
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: hello)), promise: nil)
        }
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if inbound.readableBytes == 0 {
            inbound = bytes  // nothing left over from the last read: these bytes are opened where they are, not copied
        } else {
            inbound.writeBuffer(&bytes)
        }
        process(context)
    }

    private func process(_ context: ChannelHandlerContext) {
        while true {
            switch state {
            case .closed:
                return
            case .handshaking(let side):
                guard step(side, context) else { return }
            case .negotiating(let keys, let client):
                guard negotiate(keys, client: client, context) else { return }
            case .established:
                do {
                    while case .established = state, let item = try opener!.next(from: &inbound) {
                        switch item {
                        case .plaintext(let plain):
                            context.fireChannelRead(wrapInboundOut(plain))
                        case .goodbye:
                            state = .closed
                            context.close(promise: nil)
                            return
                        }
                    }
                    inbound.discardReadBytes()
                } catch {
                    fail(context, error)
                }
                return
            }
        }
    }

    /// Advances the handshake by one message if it has arrived; returns whether to keep going.
    private func step(_ side: Side, _ context: ChannelHandlerContext) -> Bool {
        do {
            switch side {
            case .client(var hs):
                guard hs.expectedLength > 0, let message = inbound.readBytes(length: hs.expectedLength) else { return false }
                let (send, session) = try hs.receive(message)
                state = .handshaking(.client(hs))
                if let send { context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: send)), promise: nil) }
                if let session { offer(session, client: true, context) }
            case .server(var hs):
                guard hs.expectedLength > 0, let message = inbound.readBytes(length: hs.expectedLength) else { return false }
                let (send, session) = try hs.receive(message, allow: settings.allow)
                state = .handshaking(.server(hs))
                context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: send)), promise: nil)
                if let session { offer(session, client: false, context) }
            }
            return true
        } catch {
            fail(context, error)
            return false
        }
    }

    /// The handshake is done: send our suite offer (the server's goes out with its last handshake message).
    private func offer(_ keys: SessionKeys, client: Bool, _ context: ChannelHandlerContext) {
        recordHandshake(succeeded: true)
        sealer = BoxStreamSealer(key: keys.sendKey, nonce: keys.sendNonce)
        opener = BoxStreamOpener(key: keys.receiveKey, nonce: keys.receiveNonce)
        state = .negotiating(keys, client: client)
        var out = context.channel.allocator.buffer(capacity: 64)
        sealer!.seal(ByteBuffer(bytes: SuiteOffer(suites: settings.suites).encoded), into: &out)
        context.writeAndFlush(wrapOutboundOut(out), promise: nil)
    }

    /// Reads the peer's offer once it has arrived and switches both directions to the agreed suite; returns whether
    /// to keep going.
    private func negotiate(_ keys: SessionKeys, client: Bool, _ context: ChannelHandlerContext) -> Bool {
        do {
            guard let item = try opener!.next(from: &inbound) else { return false }
            if case .goodbye = item {
                state = .closed
                context.close(promise: nil)
                return false
            }
            guard case .plaintext(let body) = item, let theirs = SuiteOffer(decoding: Array(body.readableBytesView)) else {
                throw HandshakeError(.protocolViolation, "the peer sent no cipher offer after the handshake: it runs an older PeerStore; upgrade it")
            }
            let mine = settings.suites
            guard let suite = client ? StreamSuite.agreed(client: mine, server: theirs.suites)
                                     : StreamSuite.agreed(client: theirs.suites, server: mine) else {
                throw HandshakeError(.protocolViolation, "the peer offers no cipher this build has")
            }
            sealer!.use(suite)
            opener!.use(suite)
            establish(keys, context)
            return true
        } catch {
            fail(context, error)
            return false
        }
    }

    private func establish(_ keys: SessionKeys, _ context: ChannelHandlerContext) {
        timeout?.cancel()
        state = .established
        // Writes made while handshaking go first: whoever waits on the outcome may write as soon as it succeeds.
        let waiting = queued
        queued = []
        for (buffer, promise) in waiting { sealAndWrite(buffer, context: context, promise: promise) }
        if flushQueued || !waiting.isEmpty { context.flush() }
        flushQueued = false
        outcome.succeed(keys, suite: sealer!.suite)
    }

    private func recordHandshake(succeeded: Bool) {
        guard case .handshaking(let side) = state else { return }
        let name: String
        switch side {
        case .client: name = "client"
        case .server: name = "server"
        }
        HandshakeMetrics.record(side: name, succeeded: succeeded, after: ContinuousClock.now - handshakeStarted,
                                factory: settings.metrics ?? MetricsSystem.factory)
    }

    private func fail(_ context: ChannelHandlerContext, _ error: Error) {
        guard !isClosed else { return }
        if case .handshaking = state { recordHandshake(succeeded: false) }
        state = .closed
        timeout?.cancel()
        let remote = context.channel.remoteAddress?.description ?? "?"
        logger.warning("closing a connection: secure channel failed", metadata: ["remote": "\(remote)", "reason": "\(error)"])
        outcome.fail(error)
        for (_, promise) in queued { promise?.fail(error) }
        queued = []
        context.fireErrorCaught(error)
        context.close(promise: nil)
    }

    private var isClosed: Bool { if case .closed = state { true } else { false } }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch state {
        case .established:
            sealAndWrite(unwrapOutboundIn(data), context: context, promise: promise)
        case .handshaking, .negotiating:
            queued.append((unwrapOutboundIn(data), promise))
        case .closed:
            promise?.fail(ChannelError.ioOnClosedChannel)
        }
    }

    private func sealAndWrite(_ plain: ByteBuffer, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        guard case .established = state else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        var out = context.channel.allocator.buffer(capacity: 0)
        sealer!.seal(plain, into: &out)
        context.write(wrapOutboundOut(out), promise: promise)
    }

    public func flush(context: ChannelHandlerContext) {
        switch state {
        case .handshaking, .negotiating:
            flushQueued = true
        case .established, .closed:
            context.flush()
        }
    }

    public func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        switch state {
        case .established where mode == .all, .negotiating where mode == .all:
            state = .closed
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: sealer!.goodbye())), promise: nil)
        default:
            break
        }
        context.close(mode: mode, promise: promise)
    }

    public func channelInactive(context: ChannelHandlerContext) {
        timeout?.cancel()
        recordHandshake(succeeded: false)  // only if it was still handshaking
        if case .negotiating = state {
            outcome.fail(WireError(.connectionClosed,
                                   "the connection closed right after the handshake: the other side may run an older PeerStore; upgrade both"))
        }
        outcome.fail(WireError(.connectionClosed, "the connection closed during the handshake"))
        for (_, promise) in queued { promise?.fail(ChannelError.ioOnClosedChannel) }
        queued = []
        state = .closed
        context.fireChannelInactive()
    }
}
