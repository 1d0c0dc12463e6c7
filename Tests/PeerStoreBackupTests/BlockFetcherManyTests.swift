import ChordRing
import PeerStoreModel
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// `BlockFetcher.fetchAll`: every block in the order asked, a few at once (never more than the limit).
@Suite struct BlockFetcherManyTests {
    /// An `InMemoryRing` whose block gets take a moment and are counted while they run.
    actor CountingRing: RingAccess {
        let inner = InMemoryRing()
        private var running = 0
        private(set) var most = 0

        func getBlock(id: Identifier, excluding: Set<Identifier>) async throws -> (bytes: [UInt8], from: Identifier)? {
            running += 1
            most = max(most, running)
            try await Task.sleep(for: .milliseconds(20))
            running -= 1
            return try await inner.getBlock(id: id, excluding: excluding)
        }
        func haveBlocks(_ ids: [Identifier]) async throws -> [Bool] { try await inner.haveBlocks(ids) }
        func putBlock(id: Identifier, bytes: [UInt8]) async throws -> Bool { try await inner.putBlock(id: id, bytes: bytes) }
        func getRecord(key: Identifier) async throws -> SignedRecord? { try await inner.getRecord(key: key) }
        func putRecord(_ record: SignedRecord, expectedSeq: UInt64?) async throws -> Bool {
            try await inner.putRecord(record, expectedSeq: expectedSeq)
        }
        func holdings(of ids: [Identifier]) async -> [NodeHolding] { await inner.holdings(of: ids) }
        func postToInbox(_ entry: InboxEntry) async throws -> Bool { try await inner.postToInbox(entry) }
        func inboxEntries(owner: [UInt8]) async throws -> [InboxEntry] { try await inner.inboxEntries(owner: owner) }
        func removeFromInbox(_ removal: InboxRemoval) async throws { try await inner.removeFromInbox(removal) }
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
