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
    /// Ring ids of nodes that have talked Chord to us with a proved key: they are nodes, not users.
    public private(set) var knownNodes: Set<Identifier> = []

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

    /// Whether `id` belongs to a node of the ring: it talked Chord to us, or a lookup of its own id finds it. A
    /// positive answer is remembered.
    public func isMember(_ id: Identifier) async -> Bool {
        if knownNodes.contains(id) || id == me.id || node.successors.contains(where: { $0.id == id }) { return true }
        guard await owner(of: id)?.id == id else { return false }
        knownNodes.insert(id)
        return true
    }

    // MARK: Inbound

    /// A Chord message from another node (whose connection proved `provedKey`); returns the reply envelope, if any.
    public func handle(_ envelope: ChordEnvelope, provedKey: [UInt8]?) -> ChordEnvelope? {
        if let key = provedKey, envelope.from.key == key, Peer.ringID(of: key) == envelope.from.id {
            knownNodes.insert(envelope.from.id)
        } else if provedKey != nil {
            logger.warning("chord message from a peer whose key does not match its ring id; ignored")
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
        Task { [weak self] in
            do {
                let answer = try await transport.request(.chord(envelope), to: envelope.to.address, key: envelope.to.key)
                if case .chordReply(let reply?) = answer { await self?.deliver(reply) }
            } catch {
                // No answer: the state machine's request timeout handles it.
            }
        }
    }
}
