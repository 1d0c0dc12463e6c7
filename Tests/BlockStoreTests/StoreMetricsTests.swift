import BlockStore
import MetricsTestKit
import Testing

/// The store's counters move on a put and a get, through a test metrics backend handed to the store (no global
/// bootstrap, so other tests' stores do not add to these counts).
@Suite struct StoreMetricsTests {
    @Test func putAndGetMoveTheCounters() async throws {
        let metrics = TestMetrics()
        try await withDataPath { path in
            let store = try BlockStore(path: path, metrics: metrics)
            defer { store.close() }
            let block = randomBlock(1000)
            #expect(try await store.put(id: block.id, bytes: block.bytes) == .stored)
            #expect(try await store.put(id: block.id, bytes: block.bytes) == .alreadyPresent)
            #expect(try store.get(id: block.id) == block.bytes)
            #expect(try metrics.expectCounter("peerstore_store_block_puts_total").totalValue == 1, "a put of a held block is not counted")
            #expect(try metrics.expectCounter("peerstore_store_bytes_in_total").totalValue == 1000)
            #expect(try metrics.expectCounter("peerstore_store_block_gets_total").totalValue == 1)
            #expect(try metrics.expectCounter("peerstore_store_bytes_out_total").totalValue == 1000)
            #expect(try metrics.expectTimer("peerstore_store_block_put_duration").values.count == 1)
        }
    }
}
