/// Merging rings after a partition heals ("ring unification", after Shafaat, Ghodsi and Haridi, "Dealing with network
/// partitions in structured overlay networks", 2009, simplified).
///
/// During a partition each side takes the other side's nodes for dead and drops them: two rings form, and plain Chord
/// never joins them again, since no node knows any node of the other ring. So a node remembers the nodes it dropped
/// as failed (`lost`, at most `lostNodesKept`, oldest dropped). Every `mergeEveryRounds` stabilize rounds it probes one
/// of them, round robin: it looks up its own id through that node. If the answer is this node, the lost node's ring is
/// ours (it was dead or is back) and it is forgotten. If the answer is another node `o`, the lost node belongs to
/// another ring and `o` is our successor there: we ask `o` for its state, adopt it as our successor if it lies between
/// us and our successor, and tell it we might be its predecessor (rectify). Either change makes one edge of the union
/// strictly shorter, which turns the two cycles into one cycle with the other ring hanging off it as an appendage;
/// ordinary stabilization then zips the appendage in, as it does for joining nodes. Many nodes probe at once, so the
/// zipping starts at many places.
extension ChordNode {
    /// A node this node dropped as failed, and the stabilize round it happened in.
    public struct LostNode: Sendable, Equatable {
        public var node: NodeIdentity
        public var round: UInt64
    }

    /// Remembers a node dropped as failed (once; the newest at the end; the oldest dropped beyond the bound).
    mutating func rememberLost(_ n: NodeIdentity) {
        guard n.id != me.id, settings.lostNodesKept > 0 else { return }
        lost.removeAll { $0.node.id == n.id }
        lost.append(LostNode(node: n, round: rounds))
        if lost.count > settings.lostNodesKept { lost.removeFirst(lost.count - settings.lostNodesKept) }
    }

    /// Called every stabilize round: every `mergeEveryRounds` rounds, probes the next lost node.
    mutating func probeLostIfDue() -> [ChordDirective] {
        rounds += 1
        guard settings.mergeEveryRounds > 0, rounds % UInt64(settings.mergeEveryRounds) == 0 else { return [] }
        return probeLost()
    }

    /// Looks up our own id through the next lost node (one probe at a time).
    mutating func probeLost() -> [ChordDirective] {
        guard isJoined else { return [] }
        // A node back in our own view needs no probe.
        lost.removeAll { entry in entry.node.id == predecessor?.id || successors.contains { $0.id == entry.node.id } }
        guard !lost.isEmpty, !lookups.values.contains(where: { if case .merge = $0.purpose { true } else { false } }) else {
            return []
        }
        probeCursor %= lost.count
        let q = lost[probeCursor].node
        probeCursor += 1
        return startLookup(key: me.id, purpose: .merge(q), initial: [q])
    }

    /// A probe's lookup finished: `owner` is the successor of our id in the lost node's ring (nil: no answer).
    mutating func onProbeResult(lost q: NodeIdentity, owner: NodeIdentity?) -> [ChordDirective] {
        guard let owner else { return [] }  // still unreachable: keep it
        if owner.id == me.id {
            // Its ring routes our id to us: it is our ring.
            if let i = lost.firstIndex(where: { $0.node.id == q.id }) {
                lost.remove(at: i)
                if i < probeCursor { probeCursor -= 1 }
            }
            return []
        }
        // Another ring, or a part of ours we do not know yet: consider its owner of our id. The lost node stays
        // until a probe routes to us, so a merge cut short is tried again.
        return request(owner, .getState, for: .mergeState(owner))
    }

    /// The owner of our id in the other ring answered with its state.
    mutating func onMergeState(from o: NodeIdentity, successors list: [NodeIdentity]) -> [ChordDirective] {
        guard isJoined, o.id != me.id else { return [] }
        var out: [ChordDirective] = [.send(envelope(to: o, requestID: nil, .rectify))]
        if let s = successor, s == me || o.id.isBetween(me.id, s.id) {
            successors = SuccessorList.build(first: o, rest: list, me: me, length: settings.successorListLength)
            out += stabilize()
        }
        return out
    }
}
