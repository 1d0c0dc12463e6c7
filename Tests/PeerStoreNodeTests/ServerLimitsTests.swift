import BlockStore
import PeerStoreModel
import PeerStoreWire
import Testing

/// The frame limit sits just above the largest block: the largest block travels, a larger one gets a typed error.
@Suite("Server size limits", .timeLimit(.minutes(2)))
struct ServerLimitsTests {
    @Test func largestBlockRoundTripsAndOneByteMoreIsATypedError() async throws {
        let server = try RunningServer()
        defer { #expect(server.stop() == 0) }
        let client = try await server.client()
        defer { Task { await client.close() } }

        let max = BlockStoreSettings().maxBlockSize
        var largest = [UInt8](repeating: 0, count: max)
        for i in stride(from: 0, to: max, by: 4093) { largest[i] = UInt8(truncatingIfNeeded: i / 4093) }
        #expect(try await client.putBlock(id: BlockID.of(largest), bytes: largest))
        #expect(try await client.getBlock(id: BlockID.of(largest)) == largest)

        let over = largest + [1]
        let error = await #expect(throws: WireError.self) { try await client.putBlock(id: BlockID.of(over), bytes: over) }
        #expect(error?.code == .tooLarge)
        // A refused request is an answer, not a dropped connection.
        _ = try await client.ping()
    }
}
