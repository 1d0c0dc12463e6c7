import Metrics

/// The client's transfer counters (swift-metrics, the process's bootstrapped backend; none by default).
enum TransferMetrics {
    /// A window's missing blocks were put: `blocks` of them, `bytes` in all.
    static func sent(blocks: Int, bytes: Int) {
        Counter(label: "peerstore_client_blocks_sent_total").increment(by: blocks)
        Counter(label: "peerstore_client_bytes_sent_total").increment(by: bytes)
    }

    /// A copy of a block came from a node (checked or not yet).
    static func received(bytes: Int) {
        Counter(label: "peerstore_client_bytes_received_total").increment(by: bytes)
    }

    /// A block was fetched and passed its check.
    static func fetched() {
        Counter(label: "peerstore_client_blocks_fetched_total").increment()
    }
}
