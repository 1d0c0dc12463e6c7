import Metrics

/// The client's transfer counters (swift-metrics, the process's bootstrapped backend; none by default). Made once, at
/// first use, after the executable has bootstrapped its backend: the fetch path counts every block, and making a metric
/// asks the backend's factory (a lock and a lookup) each time.
enum TransferMetrics {
    private static let blocksSent = Counter(label: "peerstore_client_blocks_sent_total")
    private static let bytesSent = Counter(label: "peerstore_client_bytes_sent_total")
    private static let bytesReceived = Counter(label: "peerstore_client_bytes_received_total")
    private static let blocksFetched = Counter(label: "peerstore_client_blocks_fetched_total")

    /// A window's missing blocks were put: `blocks` of them, `bytes` in all.
    static func sent(blocks: Int, bytes: Int) {
        blocksSent.increment(by: blocks)
        bytesSent.increment(by: bytes)
    }

    /// A copy of a block came from a node (checked or not yet).
    static func received(bytes: Int) {
        bytesReceived.increment(by: bytes)
    }

    /// A block was fetched and passed its check.
    static func fetched() {
        blocksFetched.increment()
    }
}
