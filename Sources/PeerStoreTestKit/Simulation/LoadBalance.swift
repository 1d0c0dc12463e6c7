import ChordRing

/// How evenly keys spread over physical nodes (virtual nodes share an address).
public struct LoadBalance: Sendable {
    public var meanKeys: Double
    public var maxKeys: Int
    public var p99Keys: Int

    public var maxOverMean: Double { maxKeys == 0 ? 0 : Double(maxKeys) / meanKeys }
    public var p99OverMean: Double { p99Keys == 0 ? 0 : Double(p99Keys) / meanKeys }

    /// Places `keys` random keys on their owners and counts them per physical node.
    public static func measure(members: [NodeIdentity], keys: Int, using sim: ChordSimulator) -> LoadBalance {
        let placement = SortedRingPlacement(nodes: members)
        var counts: [String: Int] = [:]
        for m in members { counts[m.address] = 0 }
        for _ in 0..<keys {
            if let i = placement.ownerIndex(of: sim.randomKey()) { counts[placement.nodes[i].address, default: 0] += 1 }
        }
        let sorted = counts.values.sorted()
        let mean = Double(keys) / Double(max(1, counts.count))
        let p99 = sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.99).rounded(.up)) - 1)]
        return LoadBalance(meanKeys: mean, maxKeys: sorted.last ?? 0, p99Keys: p99)
    }
}

extension Array {
    /// A shuffle driven by the simulator's seeded generator, so runs stay repeatable.
    public func shuffledDeterministically(using sim: ChordSimulator) -> [Element] {
        var copy = self
        guard copy.count > 1 else { return copy }
        for i in stride(from: copy.count - 1, to: 0, by: -1) {
            copy.swapAt(i, sim.randomIndex(i + 1))
        }
        return copy
    }
}
