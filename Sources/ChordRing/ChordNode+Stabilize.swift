/// Ring maintenance: stabilize, adopt, rectify, join completion and graceful leave.
extension ChordNode {
    mutating func stabilize() -> [ChordDirective] {
        // One stabilize at a time.
        if pending.values.contains(where: { if case .stabilize = $0 { true } else if case .adopt = $0 { true } else { false } }) {
            return []
        }
        guard let s = successor else { return [] }
        if s == me {
            // Alone: a node that rectified us is our successor-to-be; adopt it once it answers.
            if let p = predecessor, p != me { return request(p, .getState, for: .adopt(p)) }
            return []
        }
        return request(s, .getState, for: .stabilize(s))
    }

    mutating func onStabilizeState(from s: NodeIdentity, predecessor p: NodeIdentity?, successors list: [NodeIdentity]) -> [ChordDirective] {
        successorFailures = 0
        guard successor == s else { return [] }
        successors = SuccessorList.build(first: s, rest: list, me: me, length: settings.successorListLength)
        if let p, p != me, p.id.isBetween(me.id, s.id) {
            // A closer successor: adopt it only after it answers.
            return request(p, .getState, for: .adopt(p))
        }
        return [.send(envelope(to: s, requestID: nil, .rectify))]
    }

    mutating func onAdoptState(from p: NodeIdentity, successors list: [NodeIdentity]) -> [ChordDirective] {
        guard isJoined else { return [] }
        if let s = successor, s == me || p.id.isBetween(me.id, s.id) {
            successors = SuccessorList.build(first: p, rest: list, me: me, length: settings.successorListLength)
            // The new successor may itself have a closer predecessor: stabilize again at once, not a period later.
            // Each adoption moves strictly closer, so this ends; it turns k rounds of catching up into k round trips.
            return stabilize()
        }
        guard let s = successor, s != me else { return [] }
        return [.send(envelope(to: s, requestID: nil, .rectify))]
    }

    /// The first successor did not answer a stabilize request.
    mutating func onSuccessorSilent(_ s: NodeIdentity) -> [ChordDirective] {
        successorFailures += 1
        if successorFailures >= settings.successorFailuresBeforeDead, successor == s {
            successors.removeFirst()
            successors.removeAll { $0 == s }
            forget(s)
            rememberLost(s)
            successorFailures = 0
            if successors.isEmpty {
                // Every successor is gone: we are a ring of one until someone finds us.
                successors = [me]
            }
        }
        return stabilize()  // at once: a dead successor must not wait a whole period
    }

    mutating func rectify(from n: NodeIdentity) -> [ChordDirective] {
        guard isJoined, n != me else { return [] }
        guard let p = predecessor, p != me else {
            predecessor = n
            return []
        }
        if n == p { return [] }
        if n.id.isBetween(p.id, me.id) {
            predecessor = n
            return []
        }
        // Is the old predecessor still there? If it does not answer, the candidate takes its place.
        return request(p, .ping, for: .checkPredecessor(old: p, candidate: n))
    }

    mutating func onJoinState(from s: NodeIdentity, successors list: [NodeIdentity]) -> [ChordDirective] {
        guard !isJoined else { return [] }
        successors = SuccessorList.build(first: s, rest: list, me: me, length: settings.successorListLength)
        predecessor = nil
        isJoined = true
        return [.joined, .send(envelope(to: s, requestID: nil, .rectify))] + periodicTimers()
    }

    mutating func onLeaving(of n: NodeIdentity, predecessor p: NodeIdentity?, successors list: [NodeIdentity]) -> [ChordDirective] {
        guard isJoined else { return [] }
        if successor == n {
            // Take the leaving node's list in its place.
            let rest = list.filter { $0 != n }
            if let first = rest.first {
                successors = SuccessorList.build(first: first, rest: Array(rest.dropFirst()), me: me, length: settings.successorListLength)
            } else {
                successors = [me]
            }
        } else {
            successors.removeAll { $0 == n }
            if successors.isEmpty { successors = [me] }
        }
        if predecessor == n { predecessor = (p == me) ? nil : p }
        forget(n)
        return []
    }
}

/// Building a successor list from a successor's answer.
enum SuccessorList {
    /// `[first] + rest`, stopping before `me` or a repeat (the ring wrapped), at most `length` long. `[me]` if first is me.
    static func build(first: NodeIdentity, rest: [NodeIdentity], me: NodeIdentity, length: Int) -> [NodeIdentity] {
        if first == me { return [me] }
        var out = [first]
        var seen: Set<Identifier> = [first.id]
        for node in rest {
            if out.count >= length || node == me || !seen.insert(node.id).inserted { break }
            out.append(node)
        }
        return out
    }
}
