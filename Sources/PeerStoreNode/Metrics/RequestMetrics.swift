import Metrics
import PeerStoreWire

/// Requests a node answered, by kind, and how long each took (swift-metrics). Only a few kinds are told apart
/// (`op`: `put_block`, `get_block`, `put_record`, `get_record`, `placed_put`, `other`), so the series stay few.
enum RequestMetrics {
    /// The `op` label of `message`.
    static func op(of message: WireMessage) -> String {
        switch message {
        case .putBlock: return "put_block"
        case .getBlock: return "get_block"
        case .putRecord: return "put_record"
        case .getRecord: return "get_record"
        case .placedPut: return "placed_put"
        default: return "other"
        }
    }

    /// One request of kind `op` was answered after `duration`.
    static func answered(op: String, after duration: Duration, factory: any MetricsFactory) {
        Counter(label: "peerstore_requests_total", dimensions: [("op", op)], factory: factory).increment()
        Timer(label: "peerstore_request_duration", dimensions: [("op", op)], factory: factory).record(duration: duration)
    }
}
