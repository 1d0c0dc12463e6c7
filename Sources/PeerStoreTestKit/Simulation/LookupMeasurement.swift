import ChordRing

/// Figures from a batch of lookups, as `chord-sim` prints them.
public struct LookupMeasurement: Sendable {
    public var lookups = 0
    public var failed = 0
    public var wrongOwner = 0
    public var hops: [Int] = []
    public var timeouts = 0

    public var meanHops: Double { hops.isEmpty ? 0 : Double(hops.reduce(0, +)) / Double(hops.count) }

    public var p99Hops: Int {
        guard !hops.isEmpty else { return 0 }
        let sorted = hops.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.99).rounded(.up)) - 1)]
    }

    public init() {}
}

extension ChordSimulator {
    /// Runs `count` lookups of random keys from random live members (or from `origins`, round robin), all at once, and
    /// checks each answer against the true owner at the time it completes.
    public func measureLookups(_ count: Int, origins: [NodeIdentity]? = nil, limit: Duration = .seconds(120)) -> LookupMeasurement {
        let from = origins ?? liveMembers
        var pending: [(UInt64, Identifier)] = []
        for i in 0..<count {
            let origin = origins != nil ? from[i % from.count] : from[randomIndex(from.count)]
            pending.append((startLookup(from: origin.id, key: randomKey()), origin.id))
        }
        run(until: { pending.allSatisfy { result($0.0) != nil || crashed.contains($0.1) } }, step: .milliseconds(200), limit: limit)
        var m = LookupMeasurement()
        for (tag, origin) in pending {
            if crashed.contains(origin) { continue }
            m.lookups += 1
            guard let r = result(tag) else {
                m.failed += 1
                continue
            }
            m.timeouts += r.timeouts
            guard let owner = r.owner else {
                m.failed += 1
                continue
            }
            if wasCorrect(tag) == false { m.wrongOwner += 1 }
            _ = owner
            m.hops.append(r.hops)
        }
        return m
    }
}
