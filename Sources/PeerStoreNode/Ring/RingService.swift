import ChordRing
import Logging
import PeerStoreWire

/// The shell that runs a `ChordNode` on the network: carries out its directives (messages over `NodeTransport`,
/// timers as sleeping tasks), feeds it what other nodes send, and offers lookups to the rest of the node.
///
/// Chord requests travel as wire `chord` requests; the other node's reply envelope comes back as the wire response and
/// is fed to the local state machine. Lost or failed requests simply never answer: the state machine's own request
/// timeouts take over, exactly as in the simulator.
public actor RingService {
    public let me: NodeIdentity
    private var node: ChordNode
    private let transport: NodeTransport
    private let logger: Logger
    private var waiters: [UInt64: CheckedContinuation<NodeIdentity?, Never>] = [:]
    private var nextTag: UInt64 = 1
    private var stopped = false
    /// Ring ids of nodes this node has reached itself: an outbound connection pinned to the entry's key answered, so
    /// the peer at that address holds the key whose BLAKE2b is the id. Only these count as nodes (for `-allowUsers`);
    /// what a peer says of itself in a Chord message never makes it one.
    public private(set) var knownNodes: Set<Identifier> = []
    /// Peers being reached before their "I might be your predecessor" is taken (one check at a time per peer, and at
    /// most `maxVerifying` at once: anyone with the network key can name addresses, and each check is a connection).
    private var verifying: Set<Identifier> = []
    static let maxVerifying = 8

    public init(me: NodeIdentity, settings: ChordSettings, transport: NodeTransport, logger: Logger) {
        self.me = me
        node = ChordNode(me: me, settings: settings)
        self.transport = transport
        self.logger = logger
    }

    // MARK: Lifecycle

    /// Starts a ring of one.
    public func startAlone() {
        apply(node.start())
    }

    /// Joins the ring `peer` belongs to; returns once joined, or false after `attempts` failed tries.
    public func join(via peer: NodeIdentity, attempts: Int = 20) async -> Bool {
        var fresh = ChordNode(me: me, settings: node.settings)
        apply(fresh.join(via: peer), replacing: &fresh)
        for _ in 0..<attempts * 10 {
            if node.isJoined { return true }
            if stopped { return false }  // a SIGTERM while joining must not wait out the attempts
            try? await Task.sleep(for: .milliseconds(100))
        }
        return node.isJoined
    }

    /// Leaves gracefully (tells predecessor and successor) and stops all timers.
    public func leave() {
        apply(node.leave())
        stop()
    }

    public func stop() {
        stopped = true
        for (_, waiter) in waiters { waiter.resume(returning: nil) }
        waiters = [:]
    }

    public var isAlone: Bool { node.successors == [me] }
    public var isJoined: Bool { node.isJoined }
    public var successors: [NodeIdentity] { node.successors }
    public var predecessor: NodeIdentity? { node.predecessor }

    // MARK: Lookups

    /// Whether this node owns `key` as far as it knows: the key lies in (predecessor, me]. Answered without a message,
    /// so puts sent straight to their owner by a client cost no lookup.
    public func owns(_ key: Identifier) -> Bool {
        if isAlone { return true }
        guard let predecessor = node.predecessor else { return false }
        return key.isBetweenRightInclusive(predecessor.id, me.id)
    }

    /// The owner of `key` (its successor on the ring), or nil if the lookup failed.
    public func owner(of key: Identifier) async -> NodeIdentity? {
        if isAlone { return me }
        let tag = nextTag
        nextTag += 1
        return await withCheckedContinuation { continuation in
            waiters[tag] = continuation
            apply(node.lookup(key: key, tag: tag))
        }
    }

    /// Whether `id` belongs to a node of the ring: this node reached it, or a lookup of its own id finds it and it
    /// answers there with its key. A positive answer is remembered.
    public func isMember(_ id: Identifier) async -> Bool {
        if knownNodes.contains(id) || id == me.id { return true }
        guard let owner = await owner(of: id), owner.id == id else { return false }
        return await verify(owner)
    }

    /// Reaches `node` at its address over a connection pinned to its key; true (and remembered) if it answers as
    /// itself there.
    func verify(_ node: NodeIdentity) async -> Bool {
        if knownNodes.contains(node.id) || node.id == me.id { return true }
        guard let key = node.key, node.isGenuine else { return false }
        guard case .pong(let id)? = try? await transport.request(.ping, to: node.address, key: key), id == node.id else {
            return false
        }
        knownNodes.insert(node.id)
        return true
    }

    // MARK: Inbound

    /// A Chord message from another node (whose connection proved `provedKey`); returns the reply envelope, if any.
    ///
    /// Anyone holding the network key may ask (a joining node is not known yet), so what a message may change is
    /// limited: the sender must be the key it proved; a reply is only ever taken as the answer on our own connection,
    /// never from a request; and "I might be your predecessor" from a peer this node never reached is taken only once
    /// the peer answers at its address with its key. Speaking Chord never makes a peer a node (`knownNodes`).
    public func handle(_ envelope: ChordEnvelope, provedKey: [UInt8]?) -> ChordEnvelope? {
        if let key = provedKey, envelope.from.key != key || Peer.ringID(of: key) != envelope.from.id {
            logger.warning("chord message from a peer whose key does not match its ring id; ignored")
            return nil
        }
        if envelope.requestID != nil, !envelope.message.isRequest {
            logger.debug("a chord reply sent as a request; ignored")
            return nil
        }
        if case .rectify = envelope.message, !knownNodes.contains(envelope.from.id) {
            let from = envelope.from
            guard verifying.count < Self.maxVerifying, verifying.insert(from.id).inserted else { return nil }
            Task { [weak self] in
                guard let self else { return }
                let reached = await self.verify(from)
                await self.verified(envelope, reached: reached)
            }
            return nil
        }
        var reply: ChordEnvelope?
        var rest: [ChordDirective] = []
        for directive in node.onMessage(envelope) {
            if case .send(let out) = directive, out.to.id == envelope.from.id, out.requestID != nil,
                out.requestID == envelope.requestID, !out.message.isRequest, reply == nil
            {
                reply = out
            } else {
                rest.append(directive)
            }
        }
        apply(rest)
        return reply
    }

    private func verified(_ envelope: ChordEnvelope, reached: Bool) {
        verifying.remove(envelope.from.id)
        if reached {
            deliver(envelope)
        } else {
            logger.debug("a peer that asked to be our predecessor does not answer at its address; ignored",
                         metadata: ["address": "\(envelope.from.address)"])
        }
    }

    private func deliver(_ envelope: ChordEnvelope) {
        guard !stopped else { return }
        apply(node.onMessage(envelope))
    }

    private func fire(_ timer: ChordTimer) {
        guard !stopped else { return }
        apply(node.onTimer(timer))
    }

    // MARK: Directives

    private func apply(_ directives: [ChordDirective], replacing fresh: inout ChordNode) {
        node = fresh
        apply(directives)
    }

    private func apply(_ directives: [ChordDirective]) {
        for directive in directives {
            switch directive {
            case .send(let envelope):
                send(envelope)
            case .schedule(let timer, let delay):
                // A stopped ring ignores timers that wake up later (`fire` checks), so none need tracking.
                Task { [weak self] in
                    try? await Task.sleep(for: delay)
                    await self?.fire(timer)
                }
            case .lookupCompleted(let result):
                waiters.removeValue(forKey: result.tag)?.resume(returning: result.owner)
            case .joined where node.successors == [me]:
                // A ring of one has joined nothing: saying so would read as if a join had worked.
                logger.notice("running as a ring of one", metadata: ["address": "\(me.address)"])
            case .joined:
                logger.info("joined the ring", metadata: ["successor": "\(node.successor?.address ?? "?")"])
            }
        }
    }

    private func send(_ envelope: ChordEnvelope) {
        if envelope.to.id == me.id {
            Task { [weak self] in await self?.deliver(envelope) }
            return
        }
        let transport = self.transport
        guard let key = envelope.to.key else { return }  // an entry with no key is never contacted
        Task { [weak self] in
            do {
                let answer = try await transport.request(.chord(envelope), to: envelope.to.address, key: key)
                guard case .chordReply(let reply) = answer else { return }
                // The connection is pinned to the entry's key, whose hash is its id: the node is genuine and reached.
                await self?.reached(envelope.to)
                if let reply, reply.from.id == envelope.to.id { await self?.deliver(reply) }
            } catch {
                // No answer: the state machine's request timeout handles it.
            }
        }
    }

    private func reached(_ node: NodeIdentity) {
        if node.isGenuine { knownNodes.insert(node.id) }
    }
}
