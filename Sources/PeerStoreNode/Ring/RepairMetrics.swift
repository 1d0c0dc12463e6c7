import Metrics

/// Anti-entropy's counters and timer (swift-metrics, the process's bootstrapped backend; none by default).
enum RepairMetrics {
    /// A round ended having sent `copies` block copies.
    static func round(copies: Int, after duration: Duration) {
        Counter(label: "peerstore_repair_rounds_total").increment()
        Counter(label: "peerstore_repair_copies_total", dimensions: [("kind", "round")]).increment(by: copies)
        Timer(label: "peerstore_repair_round_duration").record(duration: duration)
    }

    /// A hand-off before a graceful leave sent `copies` block copies.
    static func handOff(copies: Int) {
        Counter(label: "peerstore_repair_copies_total", dimensions: [("kind", "handoff")]).increment(by: copies)
    }
}
