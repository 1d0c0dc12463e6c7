import Metrics

/// The scrubber's counters and timer (swift-metrics: the backend `Scrubber` was given, by default the process's
/// bootstrapped one; none by default).
enum ScrubMetrics {
    /// A pass ended with `report`.
    static func pass(_ report: ScrubReport, factory: any MetricsFactory) {
        Counter(label: "peerstore_scrub_passes_total", factory: factory).increment()
        Counter(label: "peerstore_scrub_entries_total", factory: factory).increment(by: report.entries)
        Counter(label: "peerstore_scrub_bytes_total", factory: factory).increment(by: report.bytes)
        Counter(label: "peerstore_scrub_damaged_total", dimensions: [("kind", "block")], factory: factory)
            .increment(by: report.damagedBlocks)
        Counter(label: "peerstore_scrub_damaged_total", dimensions: [("kind", "record")], factory: factory)
            .increment(by: report.damagedRecords)
        Counter(label: "peerstore_scrub_dropped_total", factory: factory).increment(by: report.dropped)
        Counter(label: "peerstore_scrub_unreadable_total", factory: factory).increment(by: report.unreadable)
        Timer(label: "peerstore_scrub_pass_duration", factory: factory).record(duration: .nanoseconds(Int64(report.seconds * 1e9)))
    }
}
