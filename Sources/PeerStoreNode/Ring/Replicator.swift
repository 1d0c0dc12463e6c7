import ChordRing
import Logging
import NIOConcurrencyHelpers
import PeerStoreWire

/// Places puts and finds data on the ring: the owner of a key stores it and copies it to the next k-1 distinct
/// physical nodes, acknowledging only once every live replica has answered; a node that is not the owner forwards the
/// put to the owner; a read that misses locally asks the owner, then the nodes after it.
public struct Replicator: Sendable {
    public let ring: RingService
    public let transport: NodeTransport
    /// k: copies of every block and record.
    public let replicas: Int
    let logger: Logger
    /// Puts stored with fewer copies than wanted since the last time that was said (said at most every 10 s).
    private let shortfall = NIOLockedValueBox<(puts: Int, since: ContinuousClock.Instant?)>((0, nil))

    public init(ring: RingService, transport: NodeTransport, replicas: Int, logger: Logger) {
        self.ring = ring
        self.transport = transport
        self.replicas = max(1, replicas)
        self.logger = logger
    }

    /// The other nodes that keep copies of what this node owns.
    public func replicaTargets() async -> [NodeIdentity] {
        let me = ring.me
        let successors = await ring.successors
        return Array(ReplicaSelection.distinctPhysical([me] + successors, count: replicas).dropFirst())
    }

    /// Copies a put to the replica targets, all at once; waits for every one of them, each within the transport's
    /// deadline. A node that does not answer in time is not live: the put stands without it, the shortfall is logged
    /// and anti-entropy restores the count later.
    public func replicate(_ put: WireMessage) async -> Int {
        let transport = self.transport
        return await copyToReplicas { target in
            _ = try await transport.request(.placedPut(role: .replica, put: put), to: target.address, key: target.key)
        }
    }

    /// Runs `send` for every replica target at once and counts those it succeeded for; a target it throws for (a node
    /// that refused the put or did not answer in time) is left to anti-entropy, and the shortfall is noted.
    func copyToReplicas(_ send: @escaping @Sendable (NodeIdentity) async throws -> Void) async -> Int {
        let targets = await replicaTargets()
        let logger = self.logger
        let stored = await withTaskGroup(of: Bool.self) { group in
            for target in targets {
                group.addTask {
                    do {
                        try await send(target)
                        return true
                    } catch {
                        logger.debug("a replica did not take a put", metadata: ["replica": "\(target.address)", "error": "\(error)"])
                        return false
                    }
                }
            }
            var stored = 0
            for await ok in group where ok { stored += 1 }
            return stored
        }
        if stored < targets.count { noteShortfall(copies: stored + 1) }
        return stored
    }

    /// Says (at most every 10 s, with a count) that puts were stored with fewer copies than wanted.
    private func noteShortfall(copies: Int) {
        let now = ContinuousClock.now
        let due = shortfall.withLockedValue { state -> Int? in
            state.puts += 1
            if let since = state.since, now - since < .seconds(10) { return nil }
            defer { state = (0, now) }
            return state.puts
        }
        if let puts = due {
            logger.warning("puts stored with fewer copies than wanted: a replica did not answer; anti-entropy adds the missing copies later",
                           metadata: ["puts": "\(puts)", "copies": "\(copies)", "wanted": "\(replicas)"])
        }
    }

    /// Hands a put to its owner, which stores and replicates it.
    public func forward(_ put: WireMessage, to owner: NodeIdentity) async throws -> WireMessage {
        try await transport.request(.placedPut(role: .owner, put: put), to: owner.address, key: owner.key)
    }

    /// The nodes that should hold `key`, owner first: the owner, then the successors of each in turn (by lookups).
    public func holders(of key: Identifier) async -> [NodeIdentity] {
        await chain(from: key, excluding: [])
    }

    /// The up to k nodes after `holders` (those of one key, in order): where copies placed before the ring last
    /// changed shape can still sit when no holder has them. When two rings merge after a partition, a key written on
    /// one side may find its new holders all on the other side, with its copies on the nodes just after them; nothing
    /// moves those copies (each node pushes only what it owns and pulls only from its first successor).
    public func formerHolders(after holders: [NodeIdentity]) async -> [NodeIdentity] {
        guard let last = holders.last else { return [] }
        return await chain(from: last.id.adding(Self.one), excluding: holders)
    }

    /// Up to k distinct nodes: the owner of `start`, then the owner of the id after each in turn (by lookups), stopping
    /// at a lookup that fails or a node already met (a ring smaller than k, or one of `excluded`).
    private func chain(from start: Identifier, excluding excluded: [NodeIdentity]) async -> [NodeIdentity] {
        var out: [NodeIdentity] = []
        var next = start
        for _ in 0..<replicas {
            guard let node = await ring.owner(of: next), !excluded.contains(node), !out.contains(node) else { break }
            out.append(node)
            next = node.id.adding(Self.one)
        }
        return out
    }

    private static let one = Identifier(words: (0, 0, 0, 1))

    /// Asks the holders of `key` (not this node) in order, then, if none gave an answer `accept` takes, the former
    /// holders after them (`formerHolders(after:)`); returns the first answer taken, and whether a holder gave it.
    public func ask(_ request: WireMessage, about key: Identifier,
                    accept: (WireMessage) -> Bool) async -> (reply: WireMessage, fromHolder: Bool)? {
        let holders = await holders(of: key)
        if let reply = await firstAccepted(request, from: holders, accept: accept) { return (reply, true) }
        // Looked up only now: a holder answers nearly every time.
        if let reply = await firstAccepted(request, from: await formerHolders(after: holders), accept: accept) { return (reply, false) }
        return nil
    }

    private func firstAccepted(_ request: WireMessage, from nodes: [NodeIdentity], accept: (WireMessage) -> Bool) async -> WireMessage? {
        for node in nodes where node.id != ring.me.id {
            if let reply = try? await transport.request(.placedPut(role: .local, put: request), to: node.address, key: node.key),
                accept(reply)
            {
                return reply
            }
        }
        return nil
    }
}
