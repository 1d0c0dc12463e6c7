import ArgumentParser
import ChordRing
import Foundation
import PeerStoreTestKit

/// `chord-sim`: runs Chord scenarios in the deterministic simulator and prints one JSON object per line.
@main
struct ChordSimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chord-sim",
        abstract: "Simulate a Chord ring of PeerStore nodes and measure lookups, failure recovery, churn and balance.",
        discussion: """
            Examples:
              chord-sim --nodes 1024 --lookups 10000 --seed 7
              chord-sim --nodes 1024 --fail-fraction 0.5
              chord-sim --nodes 500 --churn 3 --duration 120
              chord-sim --nodes 256 --vnodes 16 --keys 100000
            """)

    @Option(help: "Physical nodes.") var nodes = 1024
    @Option(help: "Lookups to measure.") var lookups = 10_000
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Successor-list length r (default 2 * ceil(log2 N)).") var successors: Int?
    @Option(name: .customLong("fail-fraction"), help: "Crash this fraction of nodes at once, then measure.") var failFraction: Double = 0
    @Option(help: "Virtual nodes per physical node.") var vnodes = 1
    @Option(help: "Keys to place for the load-balance figures (with --vnodes).") var keys = 0
    @Option(help: "Message loss rate, 0...1.") var loss: Double = 0
    @Option(help: "Crashes and joins per stabilization period, continuously (churn).") var churn: Double = 0
    @Option(help: "Seconds of churn to simulate.") var duration = 60
    @Option(name: .customLong("joins-per-second"), help: "Join rate while building the ring.") var joinsPerSecond = 64

    func run() throws {
        var settings = SimulationSettings(seed: seed)
        settings.lossRate = loss
        settings.chord.successorListLength = successors ?? ChordSettings.successorListLength(forRingOf: nodes * vnodes)
        settings.chord.virtualNodes = vnodes
        let sim = ChordSimulator(settings: settings)
        let started = Date()
        let physical = vnodes > 1 ? (0..<nodes).map { "p\($0)" } : nil
        let trace: ((ChordSimulator) -> Void)? = ProcessInfo.processInfo.environment["CHORD_SIM_TRACE"] == nil ? nil : { s in
            let problems = s.oracle.problems(in: s.nodes, successorListLength: settings.chord.successorListLength, limit: 100_000)
            let preds = problems.filter { $0.contains("predecessor") }.count
            FileHandle.standardError.write(Data("t=\(s.now) unjoined=\(s.nodes.values.filter { !$0.isJoined }.count) problems=\(problems.count) pred=\(preds) first=\(problems.first ?? "")\n".utf8))
        }
        guard let converged = sim.buildRing(nodes: nodes * vnodes, joinsPerSecond: joinsPerSecond, physical: physical, trace: trace) else {
            let problems = sim.oracle.problems(in: sim.nodes, successorListLength: settings.chord.successorListLength)
            let unjoined = sim.nodes.values.filter { !$0.isJoined }.count
            emit(["error": "the ring did not converge", "nodes": nodes, "unjoined": unjoined, "problems": problems])
            throw ExitCode.failure
        }
        sim.settleFingers()
        var out: [String: Any] = [
            "nodes": nodes, "vnodes": vnodes, "successors": settings.chord.successorListLength, "seed": seed,
            "joinConvergedSeconds": seconds(converged),
        ]

        if failFraction > 0 {
            let victims = sim.liveMembers.shuffledDeterministically(using: sim).prefix(Int(Double(nodes * vnodes) * failFraction))
            for v in victims { sim.crash(v.id) }
            let interval = settings.chord.stabilizeInterval
            let took = sim.run(until: { sim.isConverged() }, step: interval, limit: .seconds(1200))
            out["failed"] = victims.count
            out["roundsToConverge"] = took.map { Int(($0 / interval).rounded(.up)) } ?? -1
            sim.settleFingers()
        }

        if churn > 0 {
            let m = runChurn(sim, settings: settings)
            out["churnPerStabilization"] = churn
            out["churnSeconds"] = duration
            out["churnLookups"] = m.lookups
            out["churnFailedFraction"] = m.lookups == 0 ? 0 : Double(m.failed) / Double(m.lookups)
            out["churnWrongOwnerFraction"] = m.lookups == 0 ? 0 : Double(m.wrongOwner) / Double(m.lookups)
            out["churnMeanHops"] = round2(m.meanHops)
        }

        if lookups > 0 {
            let m = sim.measureLookups(lookups)
            out["lookups"] = m.lookups
            out["meanHops"] = round2(m.meanHops)
            out["p99Hops"] = m.p99Hops
            out["failedLookups"] = m.failed
            out["wrongOwner"] = m.wrongOwner
            out["log2N"] = round2(log2(Double(sim.liveMembers.count)))
        }

        if keys > 0 {
            let balance = LoadBalance.measure(members: sim.liveMembers, keys: keys, using: sim)
            out["keys"] = keys
            out["keysPerNodeP99OverMean"] = round2(balance.p99OverMean)
            out["keysPerNodeMaxOverMean"] = round2(balance.maxOverMean)
        }
        out["messages"] = sim.messagesSent
        out["virtualSeconds"] = seconds(sim.now)
        out["wallSeconds"] = round2(Date().timeIntervalSince(started))
        emit(out)
    }

    /// Crashes and joins `churn` nodes per stabilization period while lookups run; returns the lookups' figures.
    func runChurn(_ sim: ChordSimulator, settings: SimulationSettings) -> LookupMeasurement {
        let period = settings.chord.stabilizeInterval
        let step = Duration.milliseconds(100)
        let perStep = churn * Double(step.components.attoseconds / 1_000_000_000_000_000 + step.components.seconds * 1000)
            / Double(period.components.seconds * 1000 + period.components.attoseconds / 1_000_000_000_000_000)
        var owed = 0.0
        var tags: [(UInt64, Identifier)] = []
        let end = sim.now + .seconds(duration)
        while sim.now < end {
            owed += perStep
            while owed >= 1 {
                owed -= 1
                let live = sim.liveMembers
                if live.count > 2 { sim.crash(live[sim.randomIndex(live.count)].id) }
                let members = sim.liveMembers
                sim.join(sim.makeIdentity(), via: members[sim.randomIndex(members.count)])
            }
            let live = sim.liveMembers
            for _ in 0..<2 {
                let origin = live[sim.randomIndex(live.count)]
                tags.append((sim.startLookup(from: origin.id, key: sim.randomKey()), origin.id))
            }
            sim.run(for: step)
        }
        sim.run(for: .seconds(30))
        var m = LookupMeasurement()
        for (tag, origin) in tags where !sim.crashed.contains(origin) {
            m.lookups += 1
            guard let r = sim.result(tag), r.owner != nil else {
                m.failed += 1
                continue
            }
            if sim.wasCorrect(tag) == false { m.wrongOwner += 1 }
            m.hops.append(r.hops)
        }
        return m
    }

    func emit(_ object: [String: Any]) {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    func seconds(_ d: Duration) -> Double {
        round2(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }

    func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }
}
