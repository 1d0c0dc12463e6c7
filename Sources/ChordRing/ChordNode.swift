/// One Chord node as a value-type state machine, after Zave's corrected Chord ("Reasoning about identifier spaces: how
/// to make Chord correct", 2017), in the style of swift-cluster-membership's `SWIM.Instance`.
///
/// It does no I/O and reads no clock: every input is a call (`start`, `join`, `lookup`, `leave`, `onMessage`,
/// `onTimer`) and every output is a list of `ChordDirective`s (messages to send, timers to set, lookups finished) for a
/// shell to carry out: the NIO node on the network, or the deterministic simulator in tests.
///
/// The rules that make it correct:
/// - a node joins only with a full successor list taken from a live successor (`joinState`);
/// - stabilize asks the first successor for its predecessor and list, drops a successor only after repeated silence,
///   and adopts a closer node only after that node has answered (`adopt`);
/// - rectify replaces notify and check_predecessor: a node takes a new predecessor if it is closer, or if the old one
///   does not answer a ping;
/// - fingers are an optimisation, fixed one per tick; lookups route by fingers and successors and fall back to the
///   next candidate when a hop times out.
/// - nodes dropped as failed are remembered and probed now and then, so rings split by a partition merge again
///   (`ChordNode+Merge`).
public struct ChordNode: Sendable {
    public let me: NodeIdentity
    public let settings: ChordSettings

    public internal(set) var predecessor: NodeIdentity?
    /// The successor list, nearest first; `[me]` for a node alone in its ring; empty before joining.
    public internal(set) var successors: [NodeIdentity] = []
    /// finger[i] = successor(me + 2^i) as last learned; nil when unknown.
    public internal(set) var fingers: [NodeIdentity?] = Array(repeating: nil, count: 256)
    public internal(set) var isJoined = false
    public internal(set) var hasLeft = false

    var nextFinger = 255
    var nextRequestID: UInt64 = 1
    var pending: [UInt64: PendingRequest] = [:]
    var lookups: [UInt64: LookupState] = [:]
    var nextLookupID: UInt64 = 1
    var successorFailures = 0
    var joinVia: NodeIdentity?
    var fingerLookupInFlight = false
    /// Nodes dropped as failed, oldest first, probed to merge rings after a partition (`ChordNode+Merge`).
    public internal(set) var lost: [LostNode] = []
    /// Stabilize rounds so far (the clock of `lost`).
    public internal(set) var rounds: UInt64 = 0
    var probeCursor = 0

    public init(me: NodeIdentity, settings: ChordSettings = .init()) {
        self.me = me
        self.settings = settings
    }

    /// What an outstanding request was for.
    enum PendingRequest: Sendable {
        case stabilize(NodeIdentity)
        case adopt(NodeIdentity)
        case joinState(NodeIdentity)
        case lookupStep(lookup: UInt64, node: NodeIdentity)
        case confirmOwner(lookup: UInt64, node: NodeIdentity)
        case checkPredecessor(old: NodeIdentity, candidate: NodeIdentity)
        case mergeState(NodeIdentity)
    }

    /// The first successor, if the node has joined.
    public var successor: NodeIdentity? { successors.first }

    // MARK: Lifecycle

    /// Starts a new ring of one.
    public mutating func start() -> [ChordDirective] {
        isJoined = true
        successors = [me]
        predecessor = nil
        return [.joined] + periodicTimers()
    }

    /// Joins the ring that `peer` belongs to: looks up our own successor through `peer`, then takes that successor's
    /// list. Retries until it succeeds.
    public mutating func join(via peer: NodeIdentity) -> [ChordDirective] {
        joinVia = peer
        return startLookup(key: me.id, purpose: .join, initial: [peer])
    }

    /// Leaves gracefully: tells the predecessor our successor list and the successor our predecessor.
    public mutating func leave() -> [ChordDirective] {
        guard isJoined else { return [] }
        var out: [ChordDirective] = []
        let notice = ChordMessage.leaving(predecessor: predecessor, successors: successors)
        if let p = predecessor, p != me { out.append(.send(envelope(to: p, requestID: nil, notice))) }
        if let s = successor, s != me, s != predecessor { out.append(.send(envelope(to: s, requestID: nil, notice))) }
        isJoined = false
        hasLeft = true
        pending = [:]
        lookups = [:]
        return out
    }

    func periodicTimers() -> [ChordDirective] {
        [.schedule(.stabilize, after: settings.stabilizeInterval), .schedule(.fixFinger, after: settings.fixFingerInterval)]
    }

    // MARK: Inputs

    public mutating func onTimer(_ timer: ChordTimer) -> [ChordDirective] {
        guard !hasLeft else { return [] }
        switch timer {
        case .stabilize:
            guard isJoined else { return [] }
            return [.schedule(.stabilize, after: settings.stabilizeInterval)] + stabilize() + probeLostIfDue()
        case .fixFinger:
            guard isJoined else { return [] }
            return [.schedule(.fixFinger, after: settings.fixFingerInterval)] + fixNextFinger()
        case .requestTimeout(let id):
            return onTimeout(id)
        case .retryLookup(let id):
            return retryLookup(id)
        case .retryJoin:
            guard !isJoined, let peer = joinVia else { return [] }
            return startLookup(key: me.id, purpose: .join, initial: [peer])
        }
    }

    public mutating func onMessage(_ envelope: ChordEnvelope) -> [ChordDirective] {
        guard !hasLeft else { return [] }
        if let id = envelope.requestID, !envelope.message.isRequest {
            guard let purpose = pending.removeValue(forKey: id) else { return [] }  // late reply after its timeout
            return onReply(envelope, purpose: purpose)
        }
        switch envelope.message {
        case .findSuccessor(let key):
            return [reply(to: envelope, .findSuccessorReply(answer(key)))]
        case .getState:
            guard isJoined else { return [] }
            return [reply(to: envelope, .state(predecessor: predecessor, successors: successors))]
        case .ping:
            return [reply(to: envelope, .pong)]
        case .rectify:
            return rectify(from: envelope.from)
        case .leaving(let predecessor, let successors):
            return onLeaving(of: envelope.from, predecessor: predecessor, successors: successors)
        case .findSuccessorReply, .state, .pong:
            return []
        }
    }

    private mutating func onReply(_ envelope: ChordEnvelope, purpose: PendingRequest) -> [ChordDirective] {
        switch (purpose, envelope.message) {
        case (.stabilize(let s), .state(let p, let list)):
            return onStabilizeState(from: s, predecessor: p, successors: list)
        case (.adopt(let p), .state(_, let list)):
            return onAdoptState(from: p, successors: list)
        case (.joinState(let s), .state(_, let list)):
            return onJoinState(from: s, successors: list)
        case (.lookupStep(let lookup, let node), .findSuccessorReply(let answer)):
            return onLookupStep(lookup, from: node, answer: answer)
        case (.confirmOwner(let lookup, let node), .state(let predecessor, _)):
            return onOwnerState(lookup, owner: node, predecessor: predecessor)
        case (.checkPredecessor, .pong):
            return []
        case (.mergeState(let o), .state(_, let list)):
            return onMergeState(from: o, successors: list)
        default:
            return []
        }
    }

    private mutating func onTimeout(_ id: UInt64) -> [ChordDirective] {
        guard let purpose = pending.removeValue(forKey: id) else { return [] }
        switch purpose {
        case .stabilize(let s):
            return onSuccessorSilent(s)
        case .adopt:
            guard let s = successor, s != me else { return [] }
            return [.send(envelope(to: s, requestID: nil, .rectify))]
        case .joinState:
            return [.schedule(.retryJoin, after: settings.retryDelay)]
        case .lookupStep(let lookup, let node):
            forget(node)
            guard var state = lookups[lookup] else { return [] }
            state.timeouts += 1
            lookups[lookup] = state
            return advance(lookup)
        case .confirmOwner(let lookup, let node):
            forget(node)
            guard var state = lookups[lookup] else { return [] }
            state.timeouts += 1
            state.owners.removeAll { $0 == node }
            lookups[lookup] = state
            return confirmNext(lookup)
        case .checkPredecessor(let old, let candidate):
            if predecessor == old {
                predecessor = candidate
                rememberLost(old)
            }
            return []
        case .mergeState:
            return []  // the probe comes round again
        }
    }

    // MARK: Helpers

    mutating func request(_ to: NodeIdentity, _ message: ChordMessage, for purpose: PendingRequest) -> [ChordDirective] {
        let id = nextRequestID
        nextRequestID += 1
        pending[id] = purpose
        return [.send(envelope(to: to, requestID: id, message)), .schedule(.requestTimeout(id), after: settings.requestTimeout)]
    }

    func envelope(to: NodeIdentity, requestID: UInt64?, _ message: ChordMessage) -> ChordEnvelope {
        ChordEnvelope(from: me, to: to, requestID: requestID, message: message)
    }

    func reply(to request: ChordEnvelope, _ message: ChordMessage) -> ChordDirective {
        .send(ChordEnvelope(from: me, to: request.from, requestID: request.requestID, message: message))
    }

    /// Drops a node that stopped answering from the fingers (it will be fixed again later).
    mutating func forget(_ node: NodeIdentity) {
        for i in fingers.indices where fingers[i] == node { fingers[i] = nil }
    }
}
