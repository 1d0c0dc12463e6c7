import BlockStore
import ChordRing
import MetricsTestKit
import NIOCore
import PeerStoreModel
import PeerStoreTestKit
import PeerStoreWire
import Testing

@testable import PeerStoreNode

/// The node's request counters and timers, its gauges read from the store and the ring, and anti-entropy's
/// replica deficit, through a test metrics backend (no global bootstrap).
@Suite(.timeLimit(.minutes(1)))
struct NodeMetricsTests {
    @Test func requestsAreCountedAndTimedByKind() async throws {
        let node = try await RepairMetricsTests.Node()
        let metrics = TestMetrics()
        var processor = node.fixture.processor
        processor.metrics = metrics
        var rng = SeededRandom(seed: 3)
        let bytes = rng.bytes(1000)
        let put = Envelope(requestID: 1, message: .putBlock(id: BlockID.of(bytes), bytes: ByteBuffer(bytes: bytes)))
        _ = await processor.handle(put)
        _ = await processor.handle(Envelope(requestID: 2, message: .getBlock(id: BlockID.of(bytes))))
        _ = await processor.handle(Envelope(requestID: 3, message: .getBlock(id: BlockID.of(bytes))))
        _ = await processor.handle(Envelope(requestID: 4, message: .ping))
        #expect(metrics.counterTotal(label: "peerstore_requests_total", dimensions: [("op", "put_block")]) == 1)
        #expect(metrics.counterTotal(label: "peerstore_requests_total", dimensions: [("op", "get_block")]) == 2)
        #expect(metrics.counterTotal(label: "peerstore_requests_total", dimensions: [("op", "other")]) == 1)
        #expect(try metrics.expectTimer("peerstore_request_duration", [("op", "get_block")]).values.count == 2)
        await node.ring.stop()
    }

    @Test func gaugesAreReadFromTheStoreAndTheRing() async throws {
        let node = try await RepairMetricsTests.Node()
        let metrics = TestMetrics()
        let gauges = NodeGauges(store: node.fixture.store, ring: node.ring, metrics: metrics)
        await gauges.record()
        #expect(try metrics.expectGauge("peerstore_store_blocks").lastValue == 0)
        var rng = SeededRandom(seed: 4)
        for size in [4096, 1000] {
            let bytes = rng.bytes(size)
            _ = try await node.fixture.store.put(id: BlockID.of(bytes), bytes: bytes)
        }
        await gauges.record()
        #expect(try metrics.expectGauge("peerstore_store_blocks").lastValue == 2)
        #expect(try metrics.expectGauge("peerstore_store_block_bytes").lastValue == 5096)
        #expect(try metrics.expectGauge("peerstore_store_segments").lastValue ?? 0 >= 1)
        #expect(try metrics.expectGauge("peerstore_store_segment_bytes").lastValue ?? 0 >= 5096)
        #expect(try metrics.expectGauge("peerstore_ring_known_nodes").lastValue == 1)
        #expect(try metrics.expectGauge("peerstore_ring_successors").lastValue == 0, "a ring of one has no other successor")
        #expect(try metrics.expectGauge("peerstore_ring_joined").lastValue == 1)
        await node.ring.stop()
    }

    @Test func theReplicaDeficitCountsWhatWasMissingAndWhatStaysMissing() throws {
        var deficit = ReplicaDeficit()
        #expect(deficit.missing == 0 && deficit.backlog == 0)
        deficit.add(missing: 5, sent: 5)
        deficit.add(missing: 3, sent: 1)
        deficit.add(missing: 0, sent: 2)  // never more sent than missing
        #expect(deficit.missing == 8)
        #expect(deficit.backlog == 2)
        let metrics = TestMetrics()
        RepairMetrics.deficit(deficit, factory: metrics)
        #expect(try metrics.expectGauge("peerstore_repair_replica_deficit_blocks").lastValue == 8)
        #expect(try metrics.expectGauge("peerstore_repair_backlog_blocks").lastValue == 2)
    }
}
