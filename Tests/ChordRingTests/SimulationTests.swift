import ChordRing
import PeerStoreTestKit
import Testing

/// The Chord protocol in the deterministic simulator: real message exchange with latency, loss and crashes.
@Suite(.serialized)
struct SimulationTests {
    func simulator(nodes: Int, seed: UInt64, loss: Double = 0) -> ChordSimulator {
        var s = SimulationSettings(seed: seed)
        s.chord.successorListLength = ChordSettings.successorListLength(forRingOf: nodes)
        s.lossRate = loss
        return ChordSimulator(settings: s)
    }

    /// 1,024 nodes join one after another; the ring converges exactly, every node finds true owners, the mean path is
    /// about half of log2 N; then half the nodes crash at once and the survivors re-form one correct ring.
    @Test func thousandNodesJoinThenHalfCrash() {
        let n = 1024
        let sim = simulator(nodes: n, seed: 7)
        let converged = sim.buildRing(nodes: n, joinsPerSecond: 20)
        #expect(converged != nil, "\(sim.oracle.problems(in: sim.nodes, successorListLength: sim.settings.chord.successorListLength))")
        #expect(sim.liveMembers.count == n)
        sim.settleFingers()

        // Every node starts lookups; every answer is the true owner.
        let m = sim.measureLookups(3 * n, origins: sim.liveMembers)
        #expect(m.lookups == 3 * n)
        #expect(m.failed == 0 && m.wrongOwner == 0)
        #expect(m.meanHops <= 0.55 * 10, "mean hops \(m.meanHops)")

        // Half the ring crashes at once.
        for victim in sim.liveMembers.shuffledDeterministically(using: sim).prefix(n / 2) { sim.crash(victim.id) }
        let took = sim.run(until: { sim.isConverged() }, step: sim.settings.chord.stabilizeInterval, limit: .seconds(600))
        #expect(took != nil, "\(sim.oracle.problems(in: sim.nodes, successorListLength: sim.settings.chord.successorListLength))")
        #expect(sim.liveMembers.count == n / 2)
        let after = sim.measureLookups(2 * n, origins: sim.liveMembers)
        #expect(after.failed == 0 && after.wrongOwner == 0, "failed \(after.failed), wrong \(after.wrongOwner)")
    }

    /// With 5% of messages lost, the ring still converges, and lookups retry past lost messages and succeed.
    @Test func fivePercentMessageLoss() {
        let sim = simulator(nodes: 128, seed: 3, loss: 0.05)
        let converged = sim.buildRing(nodes: 128, joinsPerSecond: 20)
        #expect(converged != nil, "\(sim.oracle.problems(in: sim.nodes, successorListLength: sim.settings.chord.successorListLength))")
        sim.settleFingers()
        let m = sim.measureLookups(1000)
        #expect(sim.messagesLost > 0)
        #expect(m.failed == 0 && m.wrongOwner == 0, "failed \(m.failed), wrong \(m.wrongOwner)")
        #expect(m.timeouts > 0)  // lost messages were retried
    }

    /// Nodes crash and join continuously; lookups keep working (a small failure fraction is allowed while nodes die).
    @Test func churn() {
        let sim = simulator(nodes: 200, seed: 5)
        #expect(sim.buildRing(nodes: 200, joinsPerSecond: 20) != nil)
        sim.settleFingers()
        var tags: [UInt64] = []
        for second in 0..<60 {
            // One crash and one join per stabilization period.
            let live = sim.liveMembers
            sim.crash(live[sim.randomIndex(live.count)].id)
            sim.join(sim.makeIdentity(), via: sim.liveMembers[sim.randomIndex(sim.liveMembers.count)])
            for _ in 0..<10 {
                let origin = sim.liveMembers[sim.randomIndex(sim.liveMembers.count)]
                tags.append(sim.startLookup(from: origin.id, key: sim.randomKey()))
            }
            sim.run(for: .seconds(1))
            _ = second
        }
        sim.run(for: .seconds(30))
        let finished = tags.compactMap { sim.result($0) }
        let failed = finished.filter { $0.owner == nil }.count
        #expect(finished.count >= tags.count * 9 / 10)  // the rest began at nodes that later crashed
        #expect(Double(failed) / Double(finished.count) < 0.01, "\(failed) of \(finished.count) failed")
        #expect(sim.run(until: { sim.isConverged() }, step: .seconds(1), limit: .seconds(300)) != nil)
    }

    /// A node that leaves gracefully hands its neighbours to each other: the ring is correct without waiting for
    /// failure detection.
    @Test func gracefulLeave() {
        let sim = simulator(nodes: 32, seed: 9)
        #expect(sim.buildRing(nodes: 32, joinsPerSecond: 20) != nil)
        let members = sim.liveMembers
        for i in stride(from: 0, to: members.count, by: 8) { sim.leave(members[i].id) }
        sim.run(for: .milliseconds(200))
        let problems = sim.oracle.problems(in: sim.nodes, successorListLength: sim.settings.chord.successorListLength)
        // Successors and predecessors of the neighbours are right at once (deeper list entries heal by stabilize).
        #expect(problems.filter { $0.contains("predecessor") }.isEmpty, "\(problems)")
        #expect(sim.run(until: { sim.isConverged() }, step: .seconds(1), limit: .seconds(120)) != nil)
    }

    /// Neighbours leaving at the same moment confuse each other's notices; stabilization still heals the ring.
    @Test func adjacentNodesLeavingTogether() {
        let sim = simulator(nodes: 32, seed: 10)
        #expect(sim.buildRing(nodes: 32, joinsPerSecond: 20) != nil)
        for leaver in sim.liveMembers.prefix(4) { sim.leave(leaver.id) }
        #expect(sim.run(until: { sim.isConverged() }, step: .seconds(1), limit: .seconds(120)) != nil)
        let m = sim.measureLookups(300)
        #expect(m.failed == 0 && m.wrongOwner == 0)
    }

    /// With 16 virtual nodes per physical node the busiest physical node holds at most twice the mean.
    @Test func virtualNodesBalanceLoad() {
        let physical = (0..<64).map { "p\($0)" }
        var s = SimulationSettings(seed: 11)
        s.chord.successorListLength = ChordSettings.successorListLength(forRingOf: 64 * 16)
        let sim = ChordSimulator(settings: s)
        let members = (0..<(64 * 16)).map { sim.makeIdentity(address: physical[$0 % 64]) }
        let balance = LoadBalance.measure(members: members, keys: 100_000, using: sim)
        #expect(balance.maxOverMean <= 2.0, "max/mean \(balance.maxOverMean)")
        let single = LoadBalance.measure(members: (0..<64).map { sim.makeIdentity(address: physical[$0]) }, keys: 100_000, using: sim)
        #expect(single.maxOverMean > balance.maxOverMean)  // virtual nodes are what evens it out
        // Replicas of a key are distinct physical nodes.
        let placement = SortedRingPlacement(nodes: members)
        for _ in 0..<1000 {
            let replicas = placement.replicas(for: sim.randomKey(), count: 3)
            #expect(Set(replicas.map(\.address)).count == 3)
        }
    }
}
