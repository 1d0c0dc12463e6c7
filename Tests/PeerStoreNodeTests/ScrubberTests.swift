import BlockStore
import ChordRing
import Foundation
import Logging
import MetricsTestKit
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreTestKit
import Testing

@testable import PeerStoreNode

/// The node's scrubber over a real store in a temporary folder (no sockets): a pass counts what it read and found,
/// drops the damage, and reports it to the metrics; the report's counting and lines.
@Suite struct ScrubberTests {
    func storeWithBlocks(_ path: String, count: Int, size: Int) async throws -> (BlockStore, [Identifier]) {
        let store = try BlockStore(path: path)
        var ids: [Identifier] = []
        for _ in 0..<count {
            let bytes = SecureRandom.bytes(size)
            ids.append(BlockID.of(bytes))
            try await store.put(id: ids.last!, bytes: bytes)
        }
        return (store, ids)
    }

    @Test func aPassCountsDropsAndReportsToTheMetrics() async throws {
        let dir = try TemporaryDirectory(prefix: "scrubber")
        defer { dir.remove() }
        let (store, ids) = try await storeWithBlocks(dir.sub("data"), count: 8, size: 1000)
        defer { store.close() }
        let keys = SigningKeyPair()
        let record = try SignedRecord(signing: Array("v".utf8), salt: [], seq: 1, with: keys)
        try await store.put(record: record)
        let victim = try #require(store.scrubTargets().first { $0.key == ids[3] })
        try flipByte(dir.sub("data/segments/0000000001.seg"), at: victim.offset + 10)

        let metrics = TestMetrics()
        let scrubber = Scrubber(store: store, interval: nil, pace: .unlimited, logger: Logger(label: "test"), metrics: metrics)
        let report = await scrubber.pass()
        #expect(report.entries == 9)
        #expect(report.bytes == 8000 + record.encoded().count)
        #expect(report.damagedBlocks == 1 && report.damagedRecords == 0 && report.dropped == 1 && report.unreadable == 0)
        #expect(report.complete)
        #expect(!store.contains(ids[3]))
        #expect(store.contains(ids).filter { $0 }.count == 7)
        #expect(try metrics.expectCounter("peerstore_scrub_passes_total").totalValue == 1)
        #expect(try metrics.expectCounter("peerstore_scrub_entries_total").totalValue == 9)
        #expect(try metrics.expectCounter("peerstore_scrub_bytes_total").totalValue == Int64(report.bytes))
        #expect(try metrics.expectCounter("peerstore_scrub_damaged_total", [("kind", "block")]).totalValue == 1)
        #expect(try metrics.expectCounter("peerstore_scrub_damaged_total", [("kind", "record")]).totalValue == 0)
        #expect(try metrics.expectCounter("peerstore_scrub_dropped_total").totalValue == 1)

        let again = await scrubber.pass()
        #expect(again.entries == 8 && again.damaged == 0)
        #expect(try metrics.expectCounter("peerstore_scrub_passes_total").totalValue == 2)
    }

    @Test func aPaceSpreadsThePassOut() async throws {
        let dir = try TemporaryDirectory(prefix: "scrubber-pace")
        defer { dir.remove() }
        let (store, _) = try await storeWithBlocks(dir.sub("data"), count: 6, size: 100_000)
        defer { store.close() }
        // 600 KB at 1 MB/s: at least about half a second (the last batch's wait counts too).
        let paced = Scrubber(store: store, interval: nil, pace: ScrubPace(bytesPerSecond: 1_000_000), logger: Logger(label: "test"),
                             metrics: TestMetrics())
        let report = await paced.pass()
        #expect(report.entries == 6)
        #expect(report.seconds >= 0.55, "\(report.seconds)")
        #expect(report.seconds < 10)
    }

    @Test func offMeansNoPassesAndACancelledPassIsIncomplete() async throws {
        let dir = try TemporaryDirectory(prefix: "scrubber-off")
        defer { dir.remove() }
        let (store, _) = try await storeWithBlocks(dir.sub("data"), count: 3, size: 100)
        defer { store.close() }
        let metrics = TestMetrics()
        let off = Scrubber(store: store, interval: nil, pace: .unlimited, logger: Logger(label: "test"), metrics: metrics)
        await off.run()  // returns at once
        #expect(throws: (any Error).self) { try metrics.expectCounter("peerstore_scrub_passes_total") }
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await off.pass()
        }
        let report = await task.value
        #expect(!report.complete && report.entries == 0)
    }

    @Test func theReportCountsFindingsAndPrintsCountsOnly() {
        var report = ScrubReport()
        report.add(.intact(bytes: 100), kind: .block)
        report.add(.damaged(bytes: 50, dropped: true), kind: .block)
        report.add(.damaged(bytes: 30, dropped: false), kind: .record)
        report.add(.absent, kind: .block)
        #expect(report.entries == 3 && report.bytes == 180)
        #expect(report.damagedBlocks == 1 && report.damagedRecords == 1 && report.dropped == 1)
        report.damagedAtOpen = 2
        report.seconds = 1.5
        #expect(report.damaged == 4)
        #expect(report.lines == [
            "entries  3 (180 bytes)",
            "damaged  4 (blocks 1, records 1, skipped at open 2)",
            "dropped  1",
            "seconds  1.50",
        ])
        report.unreadable = 1
        report.complete = false
        #expect(report.lines.contains("unreadable  1") && report.lines.contains { $0.hasPrefix("incomplete") })
    }
}
