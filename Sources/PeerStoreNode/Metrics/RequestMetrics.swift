import Foundation
import Metrics
import PeerStoreWire

/// Requests a node answered, by kind, and how long each took (swift-metrics). Only a few kinds are told apart
/// (`op`: `put_block`, `put_blocks`, `get_block`, `get_blocks`, `put_record`, `get_record`, `placed_put`, `other`), so the series stay few. The
/// counter and timer of each kind are made once, at the first request, from the factory it gives (the processor's,
/// set before it answers anything, or the process's bootstrapped one), as `StoreMetrics` makes its own once.
final class RequestMetrics: @unchecked Sendable {
    static let ops = ["put_block", "put_blocks", "get_block", "get_blocks", "put_record", "get_record", "placed_put", "other"]
    private let lock = NSLock()
    private var made: [String: (Counter, Timer)]?

    init() {}

    /// The `op` label of `message` (one of `ops`).
    static func op(of message: WireMessage) -> String {
        switch message {
        case .putBlock: return "put_block"
        case .putBlocks: return "put_blocks"
        case .getBlock: return "get_block"
        case .getBlocks: return "get_blocks"
        case .putRecord: return "put_record"
        case .getRecord: return "get_record"
        case .placedPut: return "placed_put"
        default: return "other"
        }
    }

    /// One request of kind `op` was answered after `duration`.
    func answered(op: String, after duration: Duration, factory: any MetricsFactory) {
        let (counter, timer) = metrics(op: op, factory: factory)
        counter.increment()
        timer.record(duration: duration)
    }

    private func metrics(op: String, factory: any MetricsFactory) -> (Counter, Timer) {
        lock.lock()
        defer { lock.unlock() }
        if made == nil {
            var byOp: [String: (Counter, Timer)] = [:]
            for op in Self.ops {
                byOp[op] = (Counter(label: "peerstore_requests_total", dimensions: [("op", op)], factory: factory),
                            Timer(label: "peerstore_request_duration", dimensions: [("op", op)], factory: factory))
            }
            made = byOp
        }
        return made![op] ?? made!["other"]!
    }
}
