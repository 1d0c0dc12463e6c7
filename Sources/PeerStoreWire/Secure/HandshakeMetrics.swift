import Metrics

/// Counts secure handshakes by side and result, and times the successful ones (swift-metrics: the settings' backend,
/// else the process's bootstrapped one; none by default).
enum HandshakeMetrics {
    /// `side`: "client" or "server"; `result`: "ok" or "failed".
    static func record(side: String, succeeded: Bool, after duration: Duration, factory: any MetricsFactory) {
        Counter(label: "peerstore_handshakes_total", dimensions: [("side", side), ("result", succeeded ? "ok" : "failed")],
                factory: factory)
            .increment()
        if succeeded {
            Timer(label: "peerstore_handshake_duration", dimensions: [("side", side)], factory: factory).record(duration: duration)
        }
    }
}
