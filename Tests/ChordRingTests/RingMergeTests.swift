import Testing

@testable import ChordRing

/// The lost-node list and the probe that merges two rings (`ChordNode+Merge`), with messages delivered by hand.
struct RingMergeTests {
    /// Two rings of two built apart: {10, 100} and {50, 150}.
    func twoRings() -> [Identifier: ChordNode] {
        var nodes: [Identifier: ChordNode] = [:]
        for n in [ident(10), ident(100), ident(50), ident(150)] { nodes[n.id] = ChordNode(me: n) }
        _ = nodes[ident(10).id]!.start()
        _ = deliverAll(&nodes, nodes[ident(100).id]!.join(via: ident(10)))
        _ = nodes[ident(50).id]!.start()
        _ = deliverAll(&nodes, nodes[ident(150).id]!.join(via: ident(50)))
        for _ in 0..<4 { stabilizeRound(&nodes) }
        return nodes
    }

    @Test func theLostListIsBoundedKeepsTheNewestAndNeverHoldsMe() {
        var settings = ChordSettings()
        settings.lostNodesKept = 3
        var a = ChordNode(me: ident(10), settings: settings)
        _ = a.start()
        for b in [20, 30, 40, 20, 50] as [UInt8] { a.rememberLost(ident(b)) }
        a.rememberLost(ident(10))
        #expect(a.lost.map(\.node) == [ident(40), ident(20), ident(50)])
    }

    @Test func aFailedSuccessorIsRememberedAsLost() {
        var a = threeNodeRing()[ident(10).id]!
        #expect(a.successor == ident(100))
        // 100 crashed: every stabilize request to it times out until it is dropped.
        var out = a.onTimer(.stabilize)
        for _ in 0..<20 where a.successor == ident(100) {
            guard let id = out.compactMap({ d -> UInt64? in if case .schedule(.requestTimeout(let id), _) = d { id } else { nil } }).first
            else { break }
            out = a.onTimer(.requestTimeout(id))
        }
        #expect(a.successor == ident(200))
        #expect(a.lost.map(\.node) == [ident(100)])
    }

    @Test func aProbeOfANodeOfAnotherRingMergesTheRings() {
        var nodes = twoRings()
        #expect(nodes[ident(10).id]!.successors == [ident(100)])
        #expect(nodes[ident(50).id]!.successors == [ident(150)])
        nodes[ident(10).id]!.rememberLost(ident(150))
        // 10 looks up its own id through 150: 50 owns it there; 50 lies between 10 and 100, so 10 adopts it.
        _ = deliverAll(&nodes, nodes[ident(10).id]!.probeLost())
        #expect(nodes[ident(10).id]!.successor == ident(50))
        for _ in 0..<6 { stabilizeRound(&nodes) }
        let ring = [10, 50, 100, 150] as [UInt8]
        for (i, b) in ring.enumerated() {
            let node = nodes[ident(b).id]!
            #expect(node.successor == ident(ring[(i + 1) % 4]), "\(b)")
            #expect(node.predecessor == ident(ring[(i + 3) % 4]), "\(b)")
            #expect(node.successors == (1...3).map { ident(ring[(i + $0) % 4]) }, "\(b)")
        }
        // Once merged, the next probe routes 10's id to 10: the lost node is forgotten.
        _ = deliverAll(&nodes, nodes[ident(10).id]!.probeLost())
        #expect(nodes[ident(10).id]!.lost.isEmpty)
    }

    @Test func aProbeOfANodeOfOurOwnRingForgetsIt() {
        // Successor lists of one, so that 10 knows only 100 and 200 (its predecessor) of the ring 10, 100, 150, 200.
        var settings = ChordSettings()
        settings.successorListLength = 1
        var nodes: [Identifier: ChordNode] = [:]
        for b in [10, 100, 150, 200] as [UInt8] { nodes[ident(b).id] = ChordNode(me: ident(b), settings: settings) }
        _ = nodes[ident(10).id]!.start()
        for b in [100, 150, 200] as [UInt8] { _ = deliverAll(&nodes, nodes[ident(b).id]!.join(via: ident(10))) }
        for _ in 0..<8 { stabilizeRound(&nodes) }
        #expect(nodes[ident(10).id]!.successors == [ident(100)])
        nodes[ident(10).id]!.rememberLost(ident(150))
        nodes[ident(10).id]!.rememberLost(ident(100))
        // 100 is 10's successor again: dropped without a message; 150 answers, and its ring routes 10's id to 10.
        let out = nodes[ident(10).id]!.probeLost()
        #expect(out.contains { if case .send(let e) = $0 { e.to == ident(150) } else { false } })
        #expect(nodes[ident(10).id]!.lost.map(\.node) == [ident(150)])
        _ = deliverAll(&nodes, out)
        #expect(nodes[ident(10).id]!.lost.isEmpty)
        #expect(nodes[ident(10).id]!.successors == [ident(100)])
    }

    @Test func anUnansweredProbeKeepsTheNodeAndIsNotRoutedThroughOurRing() {
        var nodes = threeNodeRing()
        var a = nodes[ident(10).id]!
        a.rememberLost(ident(77))  // not running anywhere
        let out = a.probeLost()
        for case .schedule(.requestTimeout(let id), _) in out {
            let after = a.onTimer(.requestTimeout(id))
            #expect(!after.contains { if case .send = $0 { true } else { false } }, "no second attempt via our own ring")
        }
        #expect(a.lost.map(\.node) == [ident(77)])
        nodes[a.me.id] = a
    }

    @Test func probesRunEveryMergeRoundsOnlyAndNeverWithZero() {
        var settings = ChordSettings()
        settings.mergeEveryRounds = 3
        var a = ChordNode(me: ident(10), settings: settings)
        _ = a.start()
        a.rememberLost(ident(77))
        let sendsTo77 = (0..<6).map { _ in a.onTimer(.stabilize).contains { if case .send(let e) = $0 { e.to == ident(77) } else { false } } }
        #expect(sendsTo77 == [false, false, true, false, false, false])  // the second is still in flight at round 6
        settings.mergeEveryRounds = 0
        var b = ChordNode(me: ident(10), settings: settings)
        _ = b.start()
        b.rememberLost(ident(77))
        #expect((0..<6).allSatisfy { _ in !b.onTimer(.stabilize).contains { if case .send(let e) = $0 { e.to == ident(77) } else { false } } })
    }
}
