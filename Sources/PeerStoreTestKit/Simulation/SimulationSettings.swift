import ChordRing

/// The simulated network: latency, loss and the seed that makes a run repeatable.
public struct SimulationSettings: Sendable {
    public var seed: UInt64 = 1
    public var minLatency: Duration = .milliseconds(5)
    public var maxLatency: Duration = .milliseconds(40)
    /// Fraction of messages lost in transit (0...1).
    public var lossRate: Double = 0
    public var chord = ChordSettings()

    public init(seed: UInt64 = 1) {
        self.seed = seed
    }
}
