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

/// The node's paced compactor over a real store in a temporary folder.
@Suite struct CompactorTests {
    func filledStore(_ path: String) async throws -> (BlockStore, kept: [Identifier: [UInt8]]) {
        var settings = BlockStoreSettings()
        settings.maxSegmentSize = 8192
        let store = try BlockStore(path: path, settings: settings)
        var kept: [Identifier: [UInt8]] = [:]
        for i in 0..<60 {
            let bytes = SecureRandom.bytes(700)
            let id = BlockID.of(bytes)
            try await store.put(id: id, bytes: bytes)
            if i % 5 == 0 { kept[id] = bytes } else { try await store.delete(id, now: 1_800_000_000) }
        }
        return (store, kept)
    }

    @Test func aPassCompactsOneSegmentAndCountsIt() async throws {
        let dir = try TemporaryDirectory(prefix: "compactor")
        defer { dir.remove() }
        let (store, kept) = try await filledStore(dir.sub("data"))
        defer { store.close() }
        let metrics = TestMetrics()
        let compactor = Compactor(store: store, plan: CompactionPlan(), interval: .seconds(60),
                                  logger: Logger(label: "test"), metrics: metrics)
        let deadBefore = store.segmentUsage.reduce(0) { $0 + $1.total - $1.live }
        let result = try #require(await compactor.once())
        #expect(result.bytesReclaimed > 0)
        #expect(try metrics.expectCounter("peerstore_store_compactions_total").totalValue == 1)
        #expect(try metrics.expectCounter("peerstore_store_compaction_reclaimed_bytes_total").totalValue == Int64(result.bytesReclaimed))
        let dead = try metrics.expectGauge("peerstore_store_dead_bytes").lastValue
        #expect(dead.map { Int($0) } == deadBefore - result.bytesReclaimed)
        for (id, bytes) in kept { #expect(try store.get(id: id) == bytes) }
    }

    @Test func aThresholdOfZeroNeverCompacts() async throws {
        let dir = try TemporaryDirectory(prefix: "compactor")
        defer { dir.remove() }
        let (store, _) = try await filledStore(dir.sub("data"))
        defer { store.close() }
        let usage = store.segmentUsage
        let compactor = Compactor(store: store, plan: CompactionPlan(threshold: 0), interval: .milliseconds(1),
                                  logger: Logger(label: "test"))
        await compactor.run()  // returns at once
        #expect(await compactor.once() == nil)
        #expect(store.segmentUsage == usage)
    }

    /// The running compactor keeps at it while a client writes; nothing written or kept is lost.
    @Test func theRunningCompactorAndClientWritesBothFinish() async throws {
        let dir = try TemporaryDirectory(prefix: "compactor")
        defer { dir.remove() }
        let (store, kept) = try await filledStore(dir.sub("data"))
        defer { store.close() }
        let metrics = TestMetrics()
        let compactor = Compactor(store: store, plan: CompactionPlan(), interval: .milliseconds(20),
                                  logger: Logger(label: "test"), metrics: metrics)
        let task = Task { await compactor.run() }
        var written: [Identifier: [UInt8]] = [:]
        let deadline = ContinuousClock.now + .seconds(20)
        for _ in 0..<2000 where ContinuousClock.now < deadline {
            let bytes = SecureRandom.bytes(200)
            try await store.put(id: BlockID.of(bytes), bytes: bytes)
            written[BlockID.of(bytes)] = bytes
            if metrics.counterTotal(label: "peerstore_store_compactions_total") >= 3 { break }
        }
        task.cancel()
        await task.value
        #expect(metrics.counterTotal(label: "peerstore_store_compactions_total") >= 3)
        for (id, bytes) in kept.merging(written, uniquingKeysWith: { a, _ in a }) { #expect(try store.get(id: id) == bytes) }
    }
}
