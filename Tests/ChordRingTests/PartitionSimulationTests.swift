import ChordRing
import PeerStoreTestKit
import Testing

/// A ring cut in two halves becomes two rings; healed, the lost-node probes merge them into one again.
@Suite(.serialized)
struct PartitionSimulationTests {
    struct Outcome {
        var secondsToSplit: Int
        /// Seconds from the heal until every pointer is right (first successors, predecessors, whole lists).
        var secondsToMerge: Int?
        var problems: [String]
    }

    /// Builds a ring of `nodes`, cuts it into `parts` random parts until each is a correct ring of its own, heals it
    /// and runs until it is one correct ring again (at most `limit` seconds).
    func partitionAndHeal(nodes n: Int, seed: UInt64, parts: Int = 2, mergeEveryRounds: Int = 5, loss: Double = 0,
                          limit: Int = 60) -> Outcome {
        var s = SimulationSettings(seed: seed)
        s.lossRate = loss
        s.chord.successorListLength = ChordSettings.successorListLength(forRingOf: n)
        s.chord.mergeEveryRounds = mergeEveryRounds
        let sim = ChordSimulator(settings: s)
        #expect(sim.buildRing(nodes: n, joinsPerSecond: 20) != nil)
        sim.settleFingers(cycles: 1)

        let members = sim.liveMembers.shuffledDeterministically(using: sim)
        let groups = (0..<parts).map { p in members.indices.filter { $0 % parts == p }.map { members[$0] } }
        for (p, group) in groups.enumerated() { for m in group { sim.sides[m.id] = p } }
        let r = s.chord.successorListLength
        func split() -> Bool {
            groups.allSatisfy { RingOracle(members: $0).problems(in: sim.nodes, successorListLength: r, limit: 1).isEmpty }
        }
        let splitTook = sim.run(until: split, step: .seconds(1), limit: .seconds(300))
        #expect(splitTook != nil, "each part becomes a ring of its own")
        // Each part has forgotten the others: without a merge they would stay apart.
        #expect(groups[0].allSatisfy { m in sim.node(m.id)!.successors.allSatisfy { sim.sides[$0.id] == 0 } })
        #expect(groups[0].contains { m in sim.node(m.id)!.lost.contains { sim.sides[$0.node.id] != 0 } })

        sim.sides = [:]
        let took = sim.run(until: { sim.isConverged() }, step: .seconds(1), limit: .seconds(Int64(limit)))
        let problems = sim.oracle.problems(in: sim.nodes, successorListLength: r)
        return Outcome(secondsToSplit: Int(splitTook?.components.seconds ?? -1),
                       secondsToMerge: took.map { Int($0.components.seconds) }, problems: problems)
    }

    static let twoHalves: [(Int, UInt64)] = {
        var cases: [(Int, UInt64)] = []
        for i in 0..<20 { cases.append((12 + (i * 7) % 19, UInt64(i + 1))) }
        cases.append((128, 99))
        return cases
    }()

    /// Rings of 12 to 30 nodes over 20 seeds, and one of 128: split in two, healed, one correct ring again within 60
    /// rounds (simulated, stabilize every 1 s, a probe every 5 rounds).
    @Test(arguments: Self.twoHalves)
    func twoHalvesMergeAgain(nodes: Int, seed: UInt64) {
        let outcome = partitionAndHeal(nodes: nodes, seed: seed)
        print("partition-sim parts=2 nodes=\(nodes) seed=\(seed) split=\(outcome.secondsToSplit)s merge=\(outcome.secondsToMerge.map { "\($0)s" } ?? "never")")
        #expect(outcome.secondsToMerge != nil, "\(outcome.problems)")
    }

    /// Three parts at once merge too (pairwise, as their probes meet).
    @Test(arguments: [(24, 31), (30, 32), (30, 33)] as [(Int, UInt64)])
    func threePartsMergeAgain(nodes: Int, seed: UInt64) {
        let outcome = partitionAndHeal(nodes: nodes, seed: seed, parts: 3)
        print("partition-sim parts=3 nodes=\(nodes) seed=\(seed) split=\(outcome.secondsToSplit)s merge=\(outcome.secondsToMerge.map { "\($0)s" } ?? "never")")
        #expect(outcome.secondsToMerge != nil, "\(outcome.problems)")
    }

    /// With 5% of messages lost (probes and their answers among them) the halves still merge.
    @Test(arguments: [(24, 41), (30, 42)] as [(Int, UInt64)])
    func twoHalvesMergeDespiteMessageLoss(nodes: Int, seed: UInt64) {
        let outcome = partitionAndHeal(nodes: nodes, seed: seed, loss: 0.05, limit: 120)
        print("partition-sim parts=2 loss=5% nodes=\(nodes) seed=\(seed) split=\(outcome.secondsToSplit)s merge=\(outcome.secondsToMerge.map { "\($0)s" } ?? "never")")
        #expect(outcome.secondsToMerge != nil, "\(outcome.problems)")
    }

    /// Without probes the halves never find each other again: the merge is what heals the ring.
    @Test func withoutProbesTheHalvesStayApart() {
        let outcome = partitionAndHeal(nodes: 12, seed: 1, mergeEveryRounds: 0, limit: 120)
        #expect(outcome.secondsToMerge == nil)
    }
}
