import ChordRing

extension ChordSimulator {
    /// Builds a ring through the protocol: one node starts it, the others join through random members, `perSecond`
    /// joins a second; then runs until the ring has converged (or `limit` passes). Returns the convergence time.
    @discardableResult
    public func buildRing(nodes count: Int, joinsPerSecond perSecond: Int = 50, physical: [String]? = nil,
                          limit: Duration = .seconds(600), trace: ((ChordSimulator) -> Void)? = nil) -> Duration? {
        let first = makeIdentity(address: physical?.first)
        startRing(first)
        var members = [first]
        let gap = Duration.nanoseconds(1_000_000_000 / Int64(max(1, perSecond)))
        for i in 1..<max(count, 1) {
            let me = makeIdentity(address: physical.map { $0[i % $0.count] })
            // Join through a node that is already a member, as a real node would (one that is still joining cannot help).
            let joined = members.filter { nodes[$0.id]?.isJoined == true }
            join(me, via: joined.isEmpty ? first : joined[randomIndex(joined.count)])
            members.append(me)
            run(for: gap)
        }
        var tick = 0
        return run(until: {
            tick += 1
            if let trace, tick % 20 == 0 { trace(self) }
            return isConverged()
        }, step: .seconds(1), limit: limit)
    }

    /// Lets fingers settle: a few full finger cycles.
    public func settleFingers(cycles: Int = 3) {
        let perCycle = settings.chord.fixFingerInterval * 24
        run(for: perCycle * cycles)
    }
}
