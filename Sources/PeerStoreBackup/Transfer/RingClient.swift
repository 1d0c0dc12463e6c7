import ChordRing
import Logging
import NIOCore
import PeerStoreConcurrency
import PeerStoreModel
import PeerStoreWire

/// The client's view of the ring: it learns the nodes from its entry node, sends every request about a key straight
/// to the key's owner (one connection per node, many requests in flight on each) and, when a node stops answering,
/// marks it down, learns the ring again from a live node and retries with the new owner.
///
/// Client routing is an optimisation, not a source of truth: a node that receives a put it does not own forwards it
/// to the owner it finds by lookup, so a stale view costs a hop, never a misplaced block.
public actor RingClient {
    public struct Settings: Sendable {
        /// Tries of one request before giving up (each after learning the ring again).
        public var attempts = 8
        /// Pause before the second try; doubles after each failure, up to `maxPause`.
        public var firstPause: Duration = .milliseconds(250)
        public var maxPause: Duration = .seconds(4)
        /// How long a node that failed stays out of the view, whatever stale successor lists say.
        public var downFor: Duration = .seconds(20)
        /// Nodes tried in turn for a read (the owner, then the nodes after it).
        public var readCandidates = 4
        /// TCP connect and, separately, the secure handshake with a node.
        public var connectTimeout: Duration = .seconds(5)
        /// How long one request may wait for its answer; a node that lets it pass is marked down like one that failed.
        public var deadline: RequestDeadline = .client
        public init() {}
    }

    private let secure: SecureChannelSettings?
    private let settings: Settings
    private let logger: Logger
    /// Time for down marks and retry pauses.
    private let clock: any MonotonicClock
    private(set) var view: SortedRingPlacement
    private var connections: [Identifier: Task<WireClient, Error>] = [:]
    /// Until when (on `clock`) each failed node stays out of the view.
    private var down: [Identifier: Duration] = [:]
    private var refreshing: Task<Void, Never>?
    /// Nodes this client has reached over a connection pinned to their key (the entry node, and every node it opened a
    /// connection to): the only ones worth pinning for a later run. Others are only what some node's list said.
    private var reached: [Identifier: NodeIdentity] = [:]

    /// Learns the ring from `entry`, an open connection to one of its nodes (which this client now owns and closes).
    /// `clock` times down marks and retry pauses (connect and request deadlines stay on the event loop's clock).
    public static func start(entry: WireClient, secure: SecureChannelSettings?, settings: Settings = .init(),
                             clock: any MonotonicClock = SystemClock(),
                             logger: Logger = Logger(label: "peerstore.ring-client")) async throws -> RingClient {
        let status = try await entry.status()
        guard RingEntries.entryMatches(status, provedKey: entry.remoteKey) else {
            await entry.close()
            throw WireError(.serverKeyChanged,
                            "the node at \(entry.address.hostPort) names another key in its status than the one it proved: it may be an impostor")
        }
        let client = RingClient(secure: secure, settings: settings, clock: clock, logger: logger, entry: status.node,
                                connection: entry)
        await client.learn(from: [status.node])
        return client
    }

    private init(secure: SecureChannelSettings?, settings: Settings, clock: any MonotonicClock, logger: Logger,
                 entry: NodeIdentity, connection: WireClient) {
        self.secure = secure
        self.settings = settings
        self.clock = clock
        self.logger = logger
        view = SortedRingPlacement(nodes: [entry])
        connections[entry.id] = Task { connection }
        reached[entry.id] = entry
    }

    /// The nodes of the ring as last learned, in ring order.
    public var nodes: [NodeIdentity] { view.nodes }

    /// The nodes this client has reached itself, in ring order (see `reached`).
    public var reachedNodes: [NodeIdentity] { reached.values.sorted { $0.id < $1.id } }

    /// Closes every connection.
    public func close() async {
        refreshing?.cancel()
        for task in connections.values { await (try? await task.value)?.close() }
        connections = [:]
    }

    // MARK: Typed calls

    /// Stores a block on its owner (which copies it to the replicas before answering); true if it was new.
    @discardableResult
    public func putBlock(id: Identifier, bytes: [UInt8]) async throws -> Bool {
        let reply = try await send(about: id) { try await $0.putBlock(id: id, bytes: bytes) }
        return reply
    }

    /// The block's bytes from the first of its holders that has it; nil if none does. The caller verifies the hash.
    /// A holder that answers with an error (its copy is damaged) is passed over for the next one.
    public func getBlock(id: Identifier) async throws -> [UInt8]? {
        try await getBlock(id: id, excluding: []).map(\.bytes)
    }

    /// As `getBlock(id:)`, asking only nodes not in `excluding` (those whose copy failed the caller's check), and saying
    /// which node sent the bytes.
    public func getBlock(id: Identifier, excluding: Set<Identifier>) async throws -> (bytes: [UInt8], from: Identifier)? {
        try await getBlock(id: id, excluding: excluding, small: false)
    }

    /// As `getBlock(id:excluding:)`; with `small`, each node is asked in a batch with the other small reads made at
    /// the same time (`WireClient.getBlock(id:small:)`).
    public func getBlock(id: Identifier, excluding: Set<Identifier>, small: Bool) async throws -> (bytes: [UInt8], from: Identifier)? {
        var failure: Error?
        var answer: WireError?
        for node in candidates(for: id).filter({ !excluding.contains($0.id) }).prefix(settings.readCandidates) {
            do {
                if let bytes = try await connection(to: node).getBlock(id: id, small: small) { return (bytes, node.id) }
            } catch let error as WireError where error.isAnswer {
                answer = answer ?? error
            } catch {
                markDown(node, error)
                failure = error
            }
        }
        if let failure {
            // Candidates failed: the view is stale; learn the ring again and ask through the owner once more.
            await refresh()
            do {
                let (bytes, node) = try await sendReporting(about: id, excluding: excluding) { try await $0.getBlock(id: id) }
                return bytes.map { ($0, node) }
            } catch {
                throw answer ?? failure
            }
        }
        if let answer { throw answer }
        return nil
    }

    /// For each id, whether its owner holds it. Ids are grouped by owner and each group asked at once.
    public func haveBlocks(_ ids: [Identifier]) async throws -> [Bool] {
        let groups = Dictionary(grouping: ids.indices) { view.ownerIndex(of: ids[$0]) ?? 0 }
        var answers = [Bool](repeating: false, count: ids.count)
        try await withThrowingTaskGroup(of: ([Int], [Bool]).self) { group in
            for indices in groups.values {
                let batch = indices.map { ids[$0] }
                group.addTask { (indices, try await self.send(about: batch[0]) { try await $0.haveBlocks(batch) }) }
            }
            for try await (indices, present) in group {
                for (i, p) in zip(indices, present) { answers[i] = p }
            }
        }
        return answers
    }

    @discardableResult
    public func putRecord(_ record: SignedRecord, expectedSeq: UInt64? = nil) async throws -> Bool {
        try await send(about: record.key) { try await $0.putRecord(record, expectedSeq: expectedSeq) }
    }

    /// The newest version of a record (the owner asks every holder and takes the highest seq).
    public func getRecord(key: Identifier) async throws -> SignedRecord? {
        try await send(about: key) { try await $0.getRecord(key: key) }
    }

    /// Runs `call` against the owner of `key`, with `send`'s retries (for requests that other files of the client add).
    func sendToOwner<T: Sendable>(about key: Identifier, _ call: @Sendable (WireClient) async throws -> T) async throws -> T {
        try await send(about: key, call)
    }

    /// Runs a read against the owner of `key`, then the nodes after it, until one answers; an answer a node gives (a
    /// refusal) is thrown at once. When every candidate failed, learns the ring again and asks through the owner.
    func readFromHolders<T: Sendable>(about key: Identifier, _ call: @Sendable (WireClient) async throws -> T) async throws -> T {
        for node in candidates(for: key).prefix(settings.readCandidates) {
            do {
                return try await call(try await connection(to: node))
            } catch let error as WireError where error.isAnswer {
                throw error
            } catch {
                markDown(node, error)
            }
        }
        await refresh()
        return try await send(about: key, call)
    }

    /// A connection to `node` (opened on first use, the node's key pinned from the ring's own lists; an entry without
    /// a key is never contacted).
    public func connection(to node: NodeIdentity) async throws -> WireClient {
        if let task = connections[node.id] { return try await task.value }
        var settings = secure
        if settings != nil {
            guard let key = node.key, node.isGenuine else {
                throw WireError(.serverKeyChanged, "the ring entry for \(node.address) has no key that matches its id; not contacted")
            }
            settings?.expectedServerKey = key
        }
        let (logger, connectTimeout, deadline) = (self.logger, self.settings.connectTimeout, self.settings.deadline)
        let task = Task { () throws -> WireClient in
            try await WireClient.connect(to: try PeerAddress(parsing: node.address), secure: settings,
                                         connectTimeout: TimeAmount(connectTimeout), deadline: deadline, logger: logger)
        }
        connections[node.id] = task
        do {
            let client = try await task.value
            reached[node.id] = node
            return client
        } catch {
            connections[node.id] = nil
            throw error
        }
    }

    // MARK: Routing and retries

    /// Runs `call` against the owner of `key` as the view has it; on a node failure marks the node down, waits, learns
    /// the ring again and retries with whoever owns the key now. Errors the node answered with (a refused put, a lost
    /// compare-and-swap) are thrown at once.
    private func send<T: Sendable>(about key: Identifier, _ call: @Sendable (WireClient) async throws -> T) async throws -> T {
        try await sendReporting(about: key, excluding: [], call).0
    }

    /// As `send`, never to a node in `excluding`; also returns the node that answered.
    private func sendReporting<T: Sendable>(about key: Identifier, excluding: Set<Identifier>,
                                            _ call: @Sendable (WireClient) async throws -> T) async throws -> (T, Identifier) {
        var pause = settings.firstPause
        var lastError: Error = WireError(.connectionFailed, "no node of the ring is reachable")
        for attempt in 0..<settings.attempts {
            if attempt > 0 {
                try await clock.sleep(for: pause)
                pause = min(pause * 2, settings.maxPause)
                await refresh()
            }
            guard let node = candidates(for: key).first(where: { !excluding.contains($0.id) }) else { continue }
            do {
                return (try await call(try await connection(to: node)), node.id)
            } catch let error as WireError where error.isAnswer {
                throw error.naming(node)
            } catch let error as WireError {
                markDown(node, error)
                lastError = error.naming(node)
            } catch {
                markDown(node, error)
                lastError = error
            }
        }
        throw lastError
    }

    /// The owner of `key` and the nodes after it, skipping nodes marked down.
    private func candidates(for key: Identifier) -> [NodeIdentity] {
        let nodes = view.nodes
        guard let start = view.ownerIndex(of: key) else { return [] }
        let ordered = (0..<nodes.count).map { nodes[(start + $0) % nodes.count] }
        let up = ordered.filter { !isDown($0) }
        return up.isEmpty ? ordered : up
    }

    private func markDown(_ node: NodeIdentity, _ error: Error) {
        if !isDown(node) {
            logger.notice("a node of the ring failed; retrying elsewhere", metadata: ["node": "\(node.address)", "error": "\(error)"])
        }
        down[node.id] = clock.now() + settings.downFor
        if let task = connections.removeValue(forKey: node.id) {
            Task { await (try? await task.value)?.close() }
        }
    }

    /// Learns the ring again from the live nodes it knows (one refresh at a time; callers wait for it).
    private func refresh() async {
        if let refreshing { return await refreshing.value }
        let starts = view.nodes.filter { !isDown($0) }
        let task = Task { [nodes = view.nodes] in await self.learn(from: starts.isEmpty ? nodes : starts) }
        refreshing = task
        await task.value
        refreshing = nil
    }

    /// Walks the ring from the first of `starts` that answers. Each status names up to r successors, so the walk jumps
    /// to the farthest of them (falling back to nearer ones, then to the other starts, when one does not answer) and
    /// stops once a list reaches a node already asked: the lists then cover the whole cycle. At most `limit` requests.
    private func learn(from starts: [NodeIdentity], limit: Int = 256) async {
        var found: [Identifier: NodeIdentity] = [:]
        var asked = Set<Identifier>()
        var queue = Array(starts.reversed())
        while asked.count < limit, let node = queue.popLast() {
            guard asked.insert(node.id).inserted else { continue }
            guard let status = try? await connection(to: node).status() else {
                markDown(node, WireError(.connectionFailed, "no status from \(node.address)"))
                continue
            }
            guard let entries = RingEntries.learned(from: status, asked: node) else {
                markDown(node, WireError(.serverKeyChanged, "\(node.address) names another node in its status"))
                continue
            }
            let successors = entries.dropFirst()
            for n in entries { found[n.id] = n }
            if successors.isEmpty || successors.contains(where: { asked.contains($0.id) }) { break }
            queue += successors.filter { !isDown($0) }
        }
        let live = found.values.filter { !isDown($0) && Self.isUsable($0) }
        if !live.isEmpty { view = SortedRingPlacement(nodes: live) }
    }

    private func isDown(_ node: NodeIdentity) -> Bool {
        guard let until = down[node.id] else { return false }
        return clock.now() < until
    }

    private static func isUsable(_ node: NodeIdentity) -> Bool {
        (try? PeerAddress(parsing: node.address)) != nil
    }
}
