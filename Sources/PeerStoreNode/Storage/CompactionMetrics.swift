import Metrics

/// The compactor's counters and gauge (swift-metrics: the backend `Compactor` was given, by default the process's
/// bootstrapped one; none by default).
enum CompactionMetrics {
    /// One segment was rewritten, reclaiming `bytes`.
    static func compacted(bytes: Int, factory: any MetricsFactory) {
        Counter(label: "peerstore_store_compactions_total", factory: factory).increment()
        Counter(label: "peerstore_store_compaction_reclaimed_bytes_total", factory: factory).increment(by: max(0, bytes))
    }

    /// Bytes of entries no longer needed, over every segment, after a pass.
    static func dead(bytes: Int, factory: any MetricsFactory) {
        Gauge(label: "peerstore_store_dead_bytes", factory: factory).record(bytes)
    }
}
