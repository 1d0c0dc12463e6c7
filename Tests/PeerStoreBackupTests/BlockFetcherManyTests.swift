import ChordRing
import PeerStoreModel
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// `BlockFetcher.fetchAll`: every block in the order asked, a few at once (never more than the limit).
@Suite struct BlockFetcherManyTests {
    /// An `InMemoryRing` whose block gets take a moment and are counted while they run.
    actor CountingRing: ForwardingRing {
        nonisolated let inner = InMemoryRing()
        private var running = 0
        private(set) var most = 0

        func getBlock(id: Identifier, excluding: Set<Identifier>) async throws -> (bytes: [UInt8], from: Identifier)? {
            running += 1
            most = max(most, running)
            try await Task.sleep(for: .milliseconds(20))
            running -= 1
            return try await inner.getBlock(id: id, excluding: excluding)
        }
    }

    @Test func blocksComeInOrderAFewAtOnce() async throws {
        let ring = CountingRing()
        let blocks = (0..<20).map { n in [UInt8](repeating: UInt8(n), count: 100 + n) }
        for bytes in blocks { _ = try await ring.inner.putBlock(id: BlockID.of(bytes), bytes: bytes) }
        let got = try await BlockFetcher(client: ring).fetchAll(blocks.map { BlockID.of($0) }, limit: 4) { "block \($0)" }
        #expect(got == blocks)
        let most = await ring.most
        #expect(most > 1 && most <= 4, "\(most) at once")
        await ring.inner.hide(BlockID.of(blocks[7]))
        await #expect(throws: BackupError.self) { try await BlockFetcher(client: ring).fetchAll(blocks.map { BlockID.of($0) }) { "block \($0)" } }
    }
}
