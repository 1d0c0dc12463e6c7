import ChordRing
import HeapModule

/// A deterministic simulation of many Chord nodes in one process: directives become events on a virtual clock,
/// messages take a random latency and may be lost, nodes crash (silently) and join. The same seed gives the same run.
public final class ChordSimulator {
    public let settings: SimulationSettings
    public private(set) var now: Duration = .zero
    public private(set) var messagesSent = 0
    public private(set) var messagesLost = 0
    public private(set) var eventsProcessed = 0
    /// A partition: the side of each node; a message between nodes on different sides is dropped. Empty: none.
    public var sides: [Identifier: Int] = [:]
    public private(set) var messagesCut = 0

    private var queue = Heap<SimulationEvent>()
    private var sequence: UInt64 = 0
    var rng: SeededRandom
    /// Every node ever started, by id; crashed and departed nodes stay here, marked.
    public private(set) var nodes: [Identifier: ChordNode] = [:]
    public private(set) var crashed: Set<Identifier> = []
    private var results: [UInt64: LookupResult] = [:]
    /// Whether each finished lookup named the true owner at the moment it finished.
    private var correctAtCompletion: [UInt64: Bool] = [:]
    private var cachedOracle: RingOracle?
    private var nextTag: UInt64 = 1

    public init(settings: SimulationSettings) {
        self.settings = settings
        rng = SeededRandom(seed: settings.seed)
    }

    // MARK: Nodes

    /// A fresh node identity with a random id (ids are uniform, as BLAKE2b of keys would be).
    public func makeIdentity(address: String? = nil) -> NodeIdentity {
        let id = Identifier(words: (rng.next(), rng.next(), rng.next(), rng.next()))
        return NodeIdentity(id: id, address: address ?? "sim-\(id.shortHex(8))")
    }

    /// Starts the first node of a ring.
    public func startRing(_ me: NodeIdentity) {
        var node = ChordNode(me: me, settings: settings.chord)
        let out = node.start()
        nodes[me.id] = node
        apply(out, from: me.id)
    }

    /// Starts a node that joins through `peer`.
    public func join(_ me: NodeIdentity, via peer: NodeIdentity) {
        var node = ChordNode(me: me, settings: settings.chord)
        let out = node.join(via: peer)
        nodes[me.id] = node
        apply(out, from: me.id)
    }

    /// Stops a node without a word: its messages and timers are dropped from now on.
    public func crash(_ id: Identifier) {
        crashed.insert(id)
        cachedOracle = nil
    }

    /// A graceful leave.
    public func leave(_ id: Identifier) {
        guard var node = nodes[id], !crashed.contains(id) else { return }
        let out = node.leave()
        nodes[id] = node
        apply(out, from: id)
        crashed.insert(id)
        cachedOracle = nil
    }

    /// Nodes that are running and have joined, sorted by id.
    public var liveMembers: [NodeIdentity] {
        nodes.values.filter { $0.isJoined && !crashed.contains($0.me.id) }.map(\.me).sorted { $0.id < $1.id }
    }

    public var liveNodeCount: Int { nodes.count - crashed.count }

    public func node(_ id: Identifier) -> ChordNode? { nodes[id] }

    // MARK: Time

    /// Processes events up to `now + duration`.
    public func run(for duration: Duration) {
        let end = now + duration
        while let next = queue.min, next.time <= end {
            _ = queue.popMin()
            now = next.time
            process(next)
        }
        now = end
    }

    /// Runs in steps of `step` until `condition` holds or `limit` passes; returns the time it took, or nil.
    @discardableResult
    public func run(until condition: () -> Bool, step: Duration, limit: Duration) -> Duration? {
        let start = now
        while now - start < limit {
            if condition() { return now - start }
            run(for: step)
        }
        return condition() ? now - start : nil
    }

    private func process(_ event: SimulationEvent) {
        eventsProcessed += 1
        switch event.payload {
        case .deliver(let envelope):
            let id = envelope.to.id
            // Mutate in place (no copy of the node's arrays).
            guard !crashed.contains(id), nodes[id] != nil else { return }
            let out = nodes[id]!.onMessage(envelope)
            apply(out, from: id)
        case .timer(let id, let timer):
            guard !crashed.contains(id), nodes[id] != nil else { return }
            let out = nodes[id]!.onTimer(timer)
            apply(out, from: id)
        }
    }

    private func apply(_ directives: [ChordDirective], from id: Identifier) {
        for directive in directives {
            switch directive {
            case .send(let envelope):
                messagesSent += 1
                if let a = sides[id], let b = sides[envelope.to.id], a != b {
                    messagesCut += 1
                    continue
                }
                if settings.lossRate > 0 && Double(rng.next() % 1_000_000) / 1_000_000 < settings.lossRate {
                    messagesLost += 1
                    continue
                }
                schedule(.deliver(envelope), after: latency())
            case .schedule(let timer, let delay):
                schedule(.timer(id, timer), after: delay)
            case .lookupCompleted(let result):
                results[result.tag] = result
                correctAtCompletion[result.tag] = result.owner != nil && result.owner == oracle.owner(of: result.key)
            case .joined:
                cachedOracle = nil
            }
        }
    }

    private func schedule(_ payload: SimulationEvent.Payload, after delay: Duration) {
        sequence += 1
        queue.insert(SimulationEvent(time: now + delay, sequence: sequence, box: .init(payload)))
    }

    private func latency() -> Duration {
        let lo = settings.minLatency.components
        let hi = settings.maxLatency.components
        let loNs = lo.seconds * 1_000_000_000 + lo.attoseconds / 1_000_000_000
        let hiNs = hi.seconds * 1_000_000_000 + hi.attoseconds / 1_000_000_000
        let span = UInt64(max(1, hiNs - loNs))
        return .nanoseconds(loNs + Int64(rng.next() % span))
    }

    // MARK: Lookups

    /// Starts a lookup at `origin`; its result appears in `result(tag)` once done.
    @discardableResult
    public func startLookup(from origin: Identifier, key: Identifier) -> UInt64 {
        let tag = nextTag
        nextTag += 1
        guard nodes[origin] != nil, !crashed.contains(origin) else { return tag }
        let out = nodes[origin]!.lookup(key: key, tag: tag)
        apply(out, from: origin)
        return tag
    }

    public func result(_ tag: UInt64) -> LookupResult? { results[tag] }

    /// Whether the lookup's answer was the true owner when it finished (nil while it runs).
    public func wasCorrect(_ tag: UInt64) -> Bool? { correctAtCompletion[tag] }

    /// The truth for the members live now (cached until membership changes).
    public var oracle: RingOracle {
        if let cachedOracle { return cachedOracle }
        let o = RingOracle(members: liveMembers)
        cachedOracle = o
        return o
    }

    public func randomKey() -> Identifier { Identifier(words: (rng.next(), rng.next(), rng.next(), rng.next())) }

    public func randomIndex(_ count: Int) -> Int { Int(rng.next() % UInt64(count)) }
}
