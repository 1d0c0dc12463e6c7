import Foundation
import PeerStoreConcurrency

/// How many reads that fan out to every holder (a record read asks all k of them for the newest; an inbox listing
/// too) one peer key may make a second: each costs the node k requests, so a peer that floods them would make the
/// ring do k times its work. One `TokenBucket` per key; ring nodes are not limited. Buckets that have filled up again
/// are forgotten, so the table stays as small as the set of keys reading hard right now.
final class FanOutLimiter: @unchecked Sendable {
    let rate: Double, burst: Double
    private let clock: any MonotonicClock
    private let lock = NSLock()
    private var buckets: [[UInt8]: TokenBucket] = [:]
    /// Past this many keys, full buckets are swept before a new one is made.
    private let sweepAbove = 4096

    init(rate: Double = 200, burst: Double = 400, clock: any MonotonicClock = SystemClock()) {
        self.rate = rate
        self.burst = burst
        self.clock = clock
    }

    /// Whether `key` may make one more fan-out read now.
    func allow(_ key: [UInt8]) -> Bool {
        let time = clock.now()
        let now = Double(time.components.seconds) + Double(time.components.attoseconds) / 1e18
        return lock.withLock {
            if buckets[key] == nil, buckets.count >= sweepAbove {
                buckets = buckets.filter { !$0.value.isFull(at: now) }
            }
            var bucket = buckets[key] ?? TokenBucket(rate: rate, burst: burst, now: now)
            let allowed = bucket.take(at: now)
            buckets[key] = bucket
            return allowed
        }
    }

    /// Keys with a bucket now.
    var tracked: Int { lock.withLock { buckets.count } }
}
