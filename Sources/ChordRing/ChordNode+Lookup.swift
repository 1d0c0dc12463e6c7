/// Iterative lookups: the origin asks one node at a time, each answer naming the owner or nodes strictly closer to
/// the key; a hop that times out falls back to the next-best candidate; a failed attempt restarts from the origin.
extension ChordNode {
    enum LookupPurpose: Sendable {
        case external(tag: UInt64)
        case finger(Int)
        case join
        /// A probe of a lost node: our own id looked up through it, in its ring (one attempt, never rerouted).
        case merge(NodeIdentity)
    }

    struct LookupState: Sendable {
        var key: Identifier
        var purpose: LookupPurpose
        /// Untried candidates, closest to the key first.
        var candidates: [NodeIdentity]
        var tried: Set<Identifier> = []
        var hops = 0
        var timeouts = 0
        var attempts = 1
        /// Owner candidates awaiting confirmation, best first.
        var owners: [NodeIdentity] = []
        var confirmations = 0
    }

    /// Starts a lookup of `key`'s owner; `.lookupCompleted` carries `tag`.
    public mutating func lookup(key: Identifier, tag: UInt64) -> [ChordDirective] {
        guard isJoined else {
            return [.lookupCompleted(LookupResult(tag: tag, key: key, owner: nil, hops: 0, timeouts: 0))]
        }
        return startLookup(key: key, purpose: .external(tag: tag), initial: nil)
    }

    /// This node's answer to a lookup step.
    public func answer(_ key: Identifier) -> FindSuccessorReply {
        guard isJoined else { return .notReady }
        if let owners = localOwners(of: key) { return .found(owners: owners) }
        return .closer(closestPreceding(key))
    }

    /// The owner of `key` if it lies within our successor list: (me, s0] -> s0, (s0, s1] -> s1, ...
    func localOwner(of key: Identifier) -> NodeIdentity? { localOwners(of: key)?.first }

    /// The owner of `key` from our successor list and the successors after it; nil if the key lies beyond the list.
    func localOwners(of key: Identifier) -> [NodeIdentity]? {
        guard let first = successors.first else { return nil }
        if first == me { return [me] }
        var previous = me.id
        for (i, s) in successors.enumerated() {
            if key.isBetweenRightInclusive(previous, s.id) && previous != s.id { return Array(successors[i...]) }
            previous = s.id
        }
        return nil
    }

    /// Known nodes strictly between us and `key`, closest to the key first (fingers and successors).
    func closestPreceding(_ key: Identifier) -> [NodeIdentity] {
        var found: [(distance: Identifier, node: NodeIdentity)] = []
        func consider(_ n: NodeIdentity) {
            if n != me, n.id.isBetween(me.id, key), !found.contains(where: { $0.node.id == n.id }) {
                found.append((n.id.distance(to: key), n))
            }
        }
        var i = 255
        while i >= 0 && found.count < settings.lookupCandidates {
            if let f = fingers[i] { consider(f) }
            i -= 1
        }
        for s in successors { consider(s) }
        found.sort { $0.distance < $1.distance }
        return found.prefix(settings.lookupCandidates).map(\.node)
    }

    mutating func startLookup(key: Identifier, purpose: LookupPurpose, initial: [NodeIdentity]?) -> [ChordDirective] {
        let id = nextLookupID
        nextLookupID += 1
        if initial == nil, let owners = localOwners(of: key) {
            var state = LookupState(key: key, purpose: purpose, candidates: [])
            guard needsConfirmation(state), owners.first != me else { return complete(state, owner: owners[0]) }
            state.owners = owners
            lookups[id] = state
            return confirmNext(id)
        }
        lookups[id] = LookupState(key: key, purpose: purpose, candidates: initial ?? closestPreceding(key))
        return advance(id)
    }

    /// Asks the best untried candidate, or ends the attempt.
    mutating func advance(_ id: UInt64) -> [ChordDirective] {
        guard var state = lookups[id] else { return [] }
        while let next = state.candidates.first {
            state.candidates.removeFirst()
            if state.tried.contains(next.id) || next == me { continue }
            state.tried.insert(next.id)
            lookups[id] = state
            return request(next, .findSuccessor(key: state.key), for: .lookupStep(lookup: id, node: next))
        }
        lookups[id] = state
        if case .merge = state.purpose {
            lookups[id] = nil
            return complete(state, owner: nil)
        }
        if state.attempts < settings.lookupAttempts {
            return [.schedule(.retryLookup(id), after: settings.retryDelay)]
        }
        lookups[id] = nil
        return complete(state, owner: nil)
    }

    mutating func retryLookup(_ id: UInt64) -> [ChordDirective] {
        guard var state = lookups[id] else { return [] }
        state.attempts += 1
        state.tried = []
        if case .join = state.purpose {
            guard let peer = joinVia else { return [] }
            state.candidates = [peer]
        } else {
            guard isJoined else {
                lookups[id] = nil
                return complete(state, owner: nil)
            }
            if let owner = localOwner(of: state.key) {
                lookups[id] = nil
                return complete(state, owner: owner)
            }
            state.candidates = closestPreceding(state.key)
        }
        lookups[id] = state
        return advance(id)
    }

    mutating func onLookupStep(_ id: UInt64, from node: NodeIdentity, answer: FindSuccessorReply) -> [ChordDirective] {
        guard var state = lookups[id] else { return [] }
        switch answer {
        case .found(let owners):
            state.hops += 1
            guard let owner = owners.first else {
                lookups[id] = state
                return advance(id)
            }
            guard needsConfirmation(state) else {
                lookups[id] = nil
                return complete(state, owner: owner)
            }
            state.owners = owners
            lookups[id] = state
            return confirmNext(id)
        case .closer(let nodes):
            state.hops += 1
            let fresh = nodes.filter { $0.id.isBetween(node.id, state.key) && !state.tried.contains($0.id) }
            var merged = fresh + state.candidates.filter { c in !fresh.contains(c) }
            merged.sort { $0.id.distance(to: state.key) < $1.id.distance(to: state.key) }
            state.candidates = merged
            lookups[id] = state
            return advance(id)
        case .notReady:
            lookups[id] = state
            return advance(id)
        }
    }

    func needsConfirmation(_ state: LookupState) -> Bool {
        guard settings.confirmOwner, case .external = state.purpose else { return false }
        return true
    }

    /// Asks the best owner candidate for its predecessor: it owns the key only if that predecessor precedes the key.
    mutating func confirmNext(_ id: UInt64) -> [ChordDirective] {
        guard var state = lookups[id] else { return [] }
        guard let candidate = state.owners.first, state.confirmations < 2 * settings.successorListLength else {
            state.owners = []
            lookups[id] = state
            return advance(id)  // no live owner among them: route again from the remaining candidates
        }
        if candidate == me {
            lookups[id] = state
            return onOwnerState(id, owner: me, predecessor: predecessor)
        }
        state.confirmations += 1
        lookups[id] = state
        return request(candidate, .getState, for: .confirmOwner(lookup: id, node: candidate))
    }

    mutating func onOwnerState(_ id: UInt64, owner: NodeIdentity, predecessor p: NodeIdentity?) -> [ChordDirective] {
        guard var state = lookups[id] else { return [] }
        if let p, p != owner, !state.key.isBetweenRightInclusive(p.id, owner.id) {
            // A node joined between the key and the supposed owner: it is the better candidate.
            state.owners.insert(p, at: 0)
            lookups[id] = state
            return confirmNext(id)
        }
        lookups[id] = nil
        return complete(state, owner: owner)
    }

    mutating func complete(_ state: LookupState, owner: NodeIdentity?) -> [ChordDirective] {
        switch state.purpose {
        case .external(let tag):
            return [.lookupCompleted(LookupResult(tag: tag, key: state.key, owner: owner, hops: state.hops, timeouts: state.timeouts))]
        case .finger(let i):
            fingerLookupInFlight = false
            if let owner { setFinger(i, owner) }
            return []
        case .merge(let q):
            return onProbeResult(lost: q, owner: owner)
        case .join:
            guard let owner else { return [.schedule(.retryJoin, after: settings.retryDelay)] }
            if owner == me {
                // Our own id is already taken by... us (a stale entry): ask the owner's successor instead.
                return [.schedule(.retryJoin, after: settings.retryDelay)]
            }
            return request(owner, .getState, for: .joinState(owner))
        }
    }
}

extension ChordNode {
    /// Where `key`'s replicas live, as far as this node can tell: its owner and the owner's successors that are other
    /// physical nodes. Needs the owner's successor list (from a lookup and a state request).
    public static func replicas(owner: NodeIdentity, ownerSuccessors: [NodeIdentity], count: Int) -> [NodeIdentity] {
        ReplicaSelection.distinctPhysical([owner] + ownerSuccessors, count: count)
    }
}
