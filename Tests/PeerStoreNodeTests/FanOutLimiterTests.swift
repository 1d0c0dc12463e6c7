import ChordRing
import PeerStoreCrypto
import PeerStoreTestKit
import PeerStoreWire
import Testing

@testable import PeerStoreNode

/// Reads that ask every holder are rationed per key, on a clock moved by hand: a burst, then the rate; keys apart;
/// full buckets forgotten.
@Suite struct FanOutLimiterTests {
    @Test func aBucketGivesItsBurstThenItsRate() {
        var bucket = TokenBucket(rate: 10, burst: 3, now: 0)
        var taken: [Bool] = []
        for t in [0, 0, 0, 0, 0.05, 0.1, 10, 10, 10, 10] { taken.append(bucket.take(at: t)) }
        // The burst, then nothing, not half a token, one after 0.1 s, and after a long pause the burst only.
        #expect(taken == [true, true, true, false, false, true, true, true, true, false])
        #expect(!bucket.isFull(at: 10) && bucket.isFull(at: 10.3))
    }

    @Test func eachKeyHasItsOwnBucket() {
        let clock = ManualClock()
        let limiter = FanOutLimiter(rate: 2, burst: 2, clock: clock)
        #expect(limiter.allow([1]) && limiter.allow([1]) && !limiter.allow([1]))
        #expect(limiter.allow([2]), "another key is not held back")
        clock.advance(by: .milliseconds(500))
        #expect(limiter.allow([1]) && !limiter.allow([1]))
        #expect(limiter.tracked == 2)
    }

    /// A bad block report costs the node a read and a full hash: a user key's reports share its fan-out ration (a
    /// burst of 400), so a flood of them is answered busy, not worked through.
    @Test(.timeLimit(.minutes(1)))
    func badBlockReportsAreRationedPerUserKey() async throws {
        let node = try await RepairMetricsTests.Node()
        let user = Peer(key: SigningKeyPair().publicKey, kind: .user)
        let id = Identifier(bytes: [UInt8](repeating: 7, count: 32))!
        var answered = 0, busy = 0
        for _ in 0..<401 {
            switch await node.fixture.processor.handle(.badBlockReport(id: id), from: user) {
            case .badBlockReportResult(dropped: false): answered += 1
            case .error(let error) where error.code == .busy: busy += 1
            case let other: Issue.record("unexpected answer \(other)")
            }
        }
        #expect(answered == 400 && busy == 1)
    }
}
