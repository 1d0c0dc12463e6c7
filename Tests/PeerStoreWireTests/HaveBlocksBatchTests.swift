import Testing

@testable import PeerStoreWire

/// The have-blocks batches all derive from the wire's bound, and keep the sizes they had.
struct HaveBlocksBatchTests {
    @Test func batchesDeriveFromTheWireBound() {
        #expect(HaveBlocksBatch.max == WireMessageCodec.maxHaveBlocksBatch)
        #expect(HaveBlocksBatch.max == 65_536)
        #expect(HaveBlocksBatch.repair == 4_096)
        #expect(HaveBlocksBatch.cacheCheck == 1_024)
        #expect(HaveBlocksBatch.uploadWindow == 1_024)
        for batch in [HaveBlocksBatch.repair, HaveBlocksBatch.cacheCheck, HaveBlocksBatch.uploadWindow] {
            #expect(batch >= 1 && batch <= WireMessageCodec.maxHaveBlocksBatch)
        }
    }
}
