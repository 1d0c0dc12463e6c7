import PeerStoreTestKit
import Testing

@testable import PeerStoreNode

/// What a node tells of its recent activity, on a clock moved by hand: writes and reads of the last minute, every
/// request since the start, uptime, and the last repair round's findings and age.
@Suite struct ActivityLogTests {
    @Test func requestsAndRepairsAreTold() {
        let clock = ManualClock()
        let log = ActivityLog(clock: clock)
        var before = log.snapshot()
        #expect(before.uptime == 0 && before.requests == 0 && before.lastRepairAgo == nil && before.repairBacklog == 0)
        for op in ["put_block", "placed_put", "put_record", "get_block", "get_record", "other"] { log.answered(op: op) }
        clock.advance(by: .seconds(30))
        var deficit = ReplicaDeficit()
        deficit.add(missing: 5, sent: 3)
        log.repaired(deficit)
        clock.advance(by: .seconds(12))
        before = log.snapshot()
        #expect(before.putsLastMinute == 3 && before.getsLastMinute == 2 && before.requests == 6)
        #expect(before.uptime == 42)
        #expect(before.lastRepairAgo == 12 && before.replicaDeficit == 5 && before.repairBacklog == 2)
        clock.advance(by: .seconds(60))
        let later = log.snapshot()
        #expect(later.putsLastMinute == 0 && later.getsLastMinute == 0, "a minute on, the window is empty")
        #expect(later.requests == 6, "the total stays")
    }
}
