import Metrics

/// Anti-entropy's counters and timer (swift-metrics: the backend `AntiEntropy` was given, by default the process's
/// bootstrapped one; none by default).
enum RepairMetrics {
    /// A round ended having sent `copies` block copies.
    static func round(copies: Int, after duration: Duration, factory: any MetricsFactory) {
        Counter(label: "peerstore_repair_rounds_total", factory: factory).increment()
        Counter(label: "peerstore_repair_copies_total", dimensions: [("kind", "round")], factory: factory).increment(by: copies)
        Timer(label: "peerstore_repair_round_duration", factory: factory).record(duration: duration)
    }

    /// A hand-off before a graceful leave sent `copies` block copies.
    static func handOff(copies: Int, factory: any MetricsFactory) {
        Counter(label: "peerstore_repair_copies_total", dimensions: [("kind", "handoff")], factory: factory).increment(by: copies)
    }

    /// What the last round found missing at its replica targets, and what it could not send.
    static func deficit(_ deficit: ReplicaDeficit, factory: any MetricsFactory) {
        Gauge(label: "peerstore_repair_replica_deficit_blocks", factory: factory).record(deficit.missing)
        Gauge(label: "peerstore_repair_backlog_blocks", factory: factory).record(deficit.backlog)
    }
}
