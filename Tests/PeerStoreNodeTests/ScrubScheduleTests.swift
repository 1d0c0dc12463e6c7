import BlockStore
import Foundation
import Logging
import MetricsTestKit
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreTestKit
import Testing

@testable import PeerStoreNode

/// When passes run: the pure schedule, its stamp on disk (old and bad files), and a scrubber whose last pass is
/// longer ago than its interval scrubbing at once after a start.
@Suite struct ScrubScheduleTests {
    @Test func theWaitIsWhatIsLeftOfTheInterval() {
        let day = ScrubSchedule(interval: .seconds(86_400))
        let now: UInt64 = 1_800_000_000_000
        #expect(day.delay(last: nil, now: now) == .seconds(86_400))
        #expect(day.delay(last: now - 3_600_000, now: now) == .seconds(82_800))
        #expect(day.delay(last: now - 86_400_000, now: now) == .zero)
        #expect(day.delay(last: now - 200_000_000, now: now) == .zero)
        #expect(day.delay(last: now + 5_000, now: now) == .seconds(86_400))  // the clock was set back
        #expect(day.delay(last: now, now: now) == .seconds(86_400))
        #expect(day.delay(last: 0, now: UInt64.max) == .zero)
    }

    @Test func theStampRoundTripsAndBadFilesReadAsNone() throws {
        #expect(ScrubStamp.encode(0x0102_0304_0506_0708) == [1, 1, 2, 3, 4, 5, 6, 7, 8])
        #expect(ScrubStamp.decode([1, 1, 2, 3, 4, 5, 6, 7, 8]) == 0x0102_0304_0506_0708)
        #expect(ScrubStamp.decode([2, 1, 2, 3, 4, 5, 6, 7, 8]) == nil)  // a later version: start again
        #expect(ScrubStamp.decode([1, 1, 2, 3]) == nil)
        #expect(ScrubStamp.decode([1] + [UInt8](repeating: 0, count: 9)) == nil)
        #expect(ScrubStamp.decode([]) == nil)
        let dir = try TemporaryDirectory(prefix: "scrub-stamp")
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.sub("data"), withIntermediateDirectories: true)
        let stamp = ScrubStamp(dataPath: dir.sub("data"))
        #expect(stamp.load() == nil)
        #expect(stamp.save(1_234_567))
        #expect(stamp.load() == 1_234_567)
        #expect(stamp.save(7_654_321))
        #expect(stamp.load() == 7_654_321)
        #expect(!FileManager.default.fileExists(atPath: stamp.path + ".tmp"))
        #expect(((try FileManager.default.attributesOfItem(atPath: stamp.path)[.posixPermissions] as? NSNumber)?.intValue ?? 0) & 0o077 == 0)
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: stamp.path))
        #expect(stamp.load() == nil)
    }

    func passes(_ metrics: TestMetrics) -> Int64 {
        (try? metrics.expectCounter("peerstore_scrub_passes_total").totalValue) ?? 0
    }

    @Test func aStartAfterALongPauseScrubsAtOnceAndARecentPassWaits() async throws {
        let dir = try TemporaryDirectory(prefix: "scrub-schedule")
        defer { dir.remove() }
        let store = try BlockStore(path: dir.sub("data"))
        defer { store.close() }
        let bytes = SecureRandom.bytes(1000)
        try await store.put(id: BlockID.of(bytes), bytes: bytes)
        let stamp = ScrubStamp(dataPath: dir.sub("data"))
        let now = ScrubStamp.now()

        // Scrubbed a minute ago, every hour: nothing yet; the stamp stays.
        #expect(stamp.save(now - 60_000))
        let recent = TestMetrics()
        let waiting = Task { await Scrubber(store: store, interval: .seconds(3600), pace: .unlimited, logger: Logger(label: "test"),
                                            metrics: recent, stamp: stamp).run() }
        try await Task.sleep(for: .milliseconds(500))
        waiting.cancel()
        await waiting.value
        #expect(passes(recent) == 0)
        #expect(stamp.load() == now - 60_000)

        // Scrubbed two hours ago, every hour: a pass at once, and the stamp moves to its end.
        #expect(stamp.save(now - 7_200_000))
        let due = TestMetrics()
        let running = Task { await Scrubber(store: store, interval: .seconds(3600), pace: .unlimited, logger: Logger(label: "test"),
                                            metrics: due, stamp: stamp).run() }
        let deadline = ContinuousClock.now + .seconds(10)
        while passes(due) == 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        try await Task.sleep(for: .milliseconds(100))
        running.cancel()
        await running.value
        #expect(passes(due) == 1)
        #expect((stamp.load() ?? 0) >= now)

        // Never scrubbed: the schedule starts now (a restart later counts from here).
        try FileManager.default.removeItem(atPath: stamp.path)
        let fresh = Task { await Scrubber(store: store, interval: .seconds(3600), pace: .unlimited, logger: Logger(label: "test"),
                                          metrics: TestMetrics(), stamp: stamp).run() }
        let started = ContinuousClock.now + .seconds(10)
        while stamp.load() == nil && ContinuousClock.now < started { try await Task.sleep(for: .milliseconds(20)) }
        fresh.cancel()
        await fresh.value
        #expect((stamp.load() ?? 0) >= now)
    }
}
