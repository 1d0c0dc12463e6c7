import Testing

@testable import ChordRing

func ident(_ byte: UInt8) -> NodeIdentity {
    NodeIdentity(id: Identifier(bytes: [byte] + [UInt8](repeating: 0, count: 31))!, address: "n\(byte)")
}

func key(_ byte: UInt8) -> Identifier { Identifier(bytes: [byte] + [UInt8](repeating: 0, count: 31))! }

/// Delivers every message between the given nodes at once (no loss, no timers) until none is left.
func deliverAll(_ nodes: inout [Identifier: ChordNode], _ directives: [ChordDirective], limit: Int = 10_000) -> [LookupResult] {
    var queue = directives
    var results: [LookupResult] = []
    var steps = 0
    while !queue.isEmpty && steps < limit {
        steps += 1
        switch queue.removeFirst() {
        case .send(let envelope):
            if nodes[envelope.to.id] != nil { queue += nodes[envelope.to.id]!.onMessage(envelope) }
        case .lookupCompleted(let r):
            results.append(r)
        case .schedule, .joined:
            break
        }
    }
    return results
}

/// Runs a stabilize round on every node (in id order), delivering everything.
func stabilizeRound(_ nodes: inout [Identifier: ChordNode]) {
    for id in nodes.keys.sorted() {
        _ = deliverAll(&nodes, nodes[id]!.onTimer(.stabilize))
    }
}

/// Nodes 10, 100 and 200: 10 starts the ring, the others join through it, four stabilize rounds follow.
func threeNodeRing() -> [Identifier: ChordNode] {
    var nodes: [Identifier: ChordNode] = [:]
    for n in [ident(10), ident(100), ident(200)] { nodes[n.id] = ChordNode(me: n) }
    _ = nodes[ident(10).id]!.start()
    _ = deliverAll(&nodes, nodes[ident(100).id]!.join(via: ident(10)))
    _ = deliverAll(&nodes, nodes[ident(200).id]!.join(via: ident(10)))
    for _ in 0..<4 { stabilizeRound(&nodes) }
    return nodes
}

struct ChordNodeTests {
    @Test func aNodeAloneOwnsEverything() {
        var a = ChordNode(me: ident(10))
        let out = a.start()
        #expect(out.contains(.joined))
        #expect(out.contains(.schedule(.stabilize, after: a.settings.stabilizeInterval)))
        #expect(a.successors == [ident(10)])
        #expect(a.answer(key(200)) == .found(owners: [ident(10)]))
        let done = a.lookup(key: key(3), tag: 9)
        #expect(done == [.lookupCompleted(LookupResult(tag: 9, key: key(3), owner: ident(10), hops: 0, timeouts: 0))])
    }

    @Test func aNodeThatHasNotJoinedAnswersNotReady() {
        let b = ChordNode(me: ident(20))
        #expect(b.answer(key(1)) == .notReady)
    }

    @Test func threeNodesJoinAndConvergeByHand() {
        var nodes = threeNodeRing()
        #expect(nodes[ident(10).id]!.successors == [ident(100), ident(200)])
        #expect(nodes[ident(100).id]!.successors == [ident(200), ident(10)])
        #expect(nodes[ident(200).id]!.successors == [ident(10), ident(100)])
        #expect(nodes[ident(10).id]!.predecessor == ident(200))
        #expect(nodes[ident(100).id]!.predecessor == ident(10))
        #expect(nodes[ident(200).id]!.predecessor == ident(100))
        // Keys go to their successor, including across zero.
        let results = deliverAll(&nodes, nodes[ident(100).id]!.lookup(key: key(5), tag: 1) + nodes[ident(10).id]!.lookup(key: key(150), tag: 2)
            + nodes[ident(200).id]!.lookup(key: key(201), tag: 3))
        #expect(Set(results.map { "\($0.tag)\($0.owner!.address)" }) == ["1n10", "2n200", "3n10"])
    }

    @Test func gracefulLeaveHandsNeighboursEachOther() {
        var nodes = threeNodeRing()
        let notices = nodes[ident(100).id]!.leave()
        #expect(notices.count == 2)
        _ = deliverAll(&nodes, notices)
        nodes[ident(100).id] = nil
        #expect(nodes[ident(10).id]!.successors.first == ident(200))
        #expect(nodes[ident(200).id]!.predecessor == ident(10))
    }

    @Test func stabilizeAdoptsACloserSuccessorOnlyAfterItAnswers() {
        var a = ChordNode(me: ident(10))
        a.isJoined = true
        a.successors = [ident(200)]
        // The successor says its predecessor is 100, which lies between us: we ask 100 before adopting it.
        let ask = a.onTimer(.stabilize)
        guard case .send(let request) = ask.first(where: { if case .send = $0 { true } else { false } }) else {
            Issue.record("no stabilize request")
            return
        }
        let next = a.onMessage(ChordEnvelope(from: ident(200), to: ident(10), requestID: request.requestID,
                                             message: .state(predecessor: ident(100), successors: [ident(10)])))
        #expect(a.successors.first == ident(200))
        #expect(next.contains { if case .send(let e) = $0 { e.to == ident(100) && e.message == .getState } else { false } })
    }

    @Test func aSilentSuccessorIsDroppedAfterRepeatedTimeouts() {
        var a = ChordNode(me: ident(10))
        a.isJoined = true
        a.successors = [ident(20), ident(30)]
        func timeouts(_ out: [ChordDirective]) -> [UInt64] {
            out.compactMap { d -> UInt64? in if case .schedule(.requestTimeout(let id), _) = d { id } else { nil } }
        }
        // Each timeout retries at once; only the last allowed one drops the successor, and the node moves to the next.
        var out = a.onTimer(.stabilize)
        for _ in 1..<a.settings.successorFailuresBeforeDead {
            out = a.onTimer(.requestTimeout(timeouts(out)[0]))
            #expect(a.successors == [ident(20), ident(30)])
        }
        out = a.onTimer(.requestTimeout(timeouts(out)[0]))
        #expect(a.successors == [ident(30)])
        #expect(out.contains { if case .send(let e) = $0 { e.to == ident(30) } else { false } })
    }

    @Test func successorListStopsAtSelfAndRepeats() {
        let list = SuccessorList.build(first: ident(2), rest: [ident(3), ident(1), ident(4)], me: ident(1), length: 8)
        #expect(list == [ident(2), ident(3)])
        #expect(SuccessorList.build(first: ident(2), rest: [ident(3), ident(2)], me: ident(1), length: 8) == [ident(2), ident(3)])
        #expect(SuccessorList.build(first: ident(2), rest: [ident(3), ident(4)], me: ident(1), length: 2) == [ident(2), ident(3)])
    }

    @Test func replicasAreDistinctPhysicalNodes() {
        let a1 = NodeIdentity(id: key(10), address: "A")
        let a2 = NodeIdentity(id: key(20), address: "A")
        let b = NodeIdentity(id: key(30), address: "B")
        let c = NodeIdentity(id: key(40), address: "C")
        #expect(ChordNode.replicas(owner: a1, ownerSuccessors: [a2, b, c], count: 3) == [a1, b, c])
        #expect(SortedRingPlacement(nodes: [a1, a2, b, c]).replicas(for: key(15), count: 3) == [a2, b, c])
        #expect(SortedRingPlacement(nodes: [a1, a2, b, c]).replicas(for: key(35), count: 3) == [c, a1, b])
    }
}
