import Metrics

/// Counts secure handshakes by side and result, and times the successful ones (swift-metrics, the process's
/// bootstrapped backend; none by default).
enum HandshakeMetrics {
    /// `side`: "client" or "server"; `result`: "ok" or "failed".
    static func record(side: String, succeeded: Bool, after duration: Duration) {
        Counter(label: "peerstore_handshakes_total", dimensions: [("side", side), ("result", succeeded ? "ok" : "failed")])
            .increment()
        if succeeded {
            Timer(label: "peerstore_handshake_duration", dimensions: [("side", side)]).record(duration: duration)
        }
    }
}
