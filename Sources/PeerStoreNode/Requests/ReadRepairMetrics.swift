import Metrics

/// Read repair's counter (swift-metrics: the backend `RingCoordinator` was given, by default the process's
/// bootstrapped one; none by default).
enum ReadRepairMetrics {
    /// `kind` "block": a copy here found damaged on read, replaced from another holder (`ok`) or not (`failed`: no
    /// holder had an intact copy, or storing it failed). `kind` "record": an older or missing copy of a record, here or
    /// on another holder, written back with the newest version (`ok`) or not (`failed`).
    static func repaired(_ kind: String, succeeded: Bool, factory: any MetricsFactory) {
        Counter(label: "peerstore_read_repairs_total", dimensions: [("kind", kind), ("result", succeeded ? "ok" : "failed")],
                factory: factory)
            .increment()
    }
}
