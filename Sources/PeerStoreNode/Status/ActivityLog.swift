import Foundation
import PeerStoreConcurrency
import PeerStoreWire

/// What this node did lately, for its status (`NodeActivity`): requests answered, in the last minute and since it
/// started, and the last anti-entropy round's findings. Shared by the request processor, anti-entropy and the local
/// store's status answer; time comes from the clock it is given.
public final class ActivityLog: @unchecked Sendable {
    private let clock: any MonotonicClock
    private let lock = NSLock()
    private var puts = RecentCounts()
    private var gets = RecentCounts()
    private var requests: UInt64 = 0
    private var lastRepair: (at: Duration, deficit: ReplicaDeficit)?

    public init(clock: any MonotonicClock = SystemClock()) {
        self.clock = clock
    }

    /// A request of the `RequestMetrics` kind `op` was answered.
    func answered(op: String) {
        let second = clock.now().components.seconds
        lock.withLock {
            requests &+= 1
            switch op {
            case "put_block", "put_blocks", "put_record", "placed_put": puts.add(at: second)
            case "get_block", "get_blocks", "get_record": gets.add(at: second)
            default: break
            }
        }
    }

    /// An anti-entropy round ended, having found `deficit`.
    func repaired(_ deficit: ReplicaDeficit) {
        let now = clock.now()
        lock.withLock { lastRepair = (now, deficit) }
    }

    /// The activity as a status tells it, now.
    public func snapshot() -> NodeActivity {
        let now = clock.now()
        let second = now.components.seconds
        return lock.withLock {
            NodeActivity(
                uptime: UInt32(clamping: second), putsLastMinute: puts.total(at: second), getsLastMinute: gets.total(at: second),
                requests: requests, lastRepairAgo: lastRepair.map { UInt32(clamping: (now - $0.at).components.seconds) },
                replicaDeficit: UInt32(clamping: lastRepair?.deficit.missing ?? 0),
                repairBacklog: UInt32(clamping: lastRepair?.deficit.backlog ?? 0))
        }
    }
}
