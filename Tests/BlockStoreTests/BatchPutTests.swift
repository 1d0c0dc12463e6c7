import BlockStore
import ChordRing
import Testing

/// `put(blocks:)`: one group commit for the whole batch, outcomes in order, the same checks as a single put, and
/// nothing stored when one block fails them.
@Suite struct BatchPutTests {
    @Test func aBatchIsStoredInOneSyncWithItsOutcomesInOrder() async throws {
        try await withDataPath { path in
            let store = try BlockStore(path: path)
            defer { store.close() }
            let held = randomBlock(100)
            #expect(try await store.put(id: held.id, bytes: held.bytes) == .stored)
            let syncsBefore = store.stats.syncs
            let fresh = (0..<300).map { randomBlock(1 + $0 * 13) }
            // A block already held, then the fresh ones with one of them twice.
            let batch = [(held.id, held.bytes)] + fresh.map { ($0.id, $0.bytes) } + [(fresh[5].id, fresh[5].bytes)]
            let outcomes = try await store.put(blocks: batch)
            #expect(outcomes.count == batch.count)
            #expect(outcomes.first == .alreadyPresent)
            #expect(outcomes.dropFirst().dropLast().allSatisfy { $0 == .stored })
            #expect(outcomes.last == .alreadyPresent, "the second copy of a block in one batch is not stored again")
            #expect(store.stats.syncs == syncsBefore + 1)
            #expect(store.stats.blocks == 301)
            for block in fresh { #expect(try store.get(id: block.id) == block.bytes) }
            #expect(try await store.put(blocks: [(held.id, held.bytes)]) == [.alreadyPresent])
            #expect(store.stats.syncs == syncsBefore + 1, "a batch of held blocks writes nothing")
        }
    }

    @Test func aBatchWithAWrongIdOrAnOversizedBlockStoresNothing() async throws {
        try await withDataPath { path in
            var settings = BlockStoreSettings()
            settings.maxBlockSize = 1000
            let store = try BlockStore(path: path, settings: settings)
            defer { store.close() }
            let good = randomBlock(10)
            let other = randomBlock(20)
            let wrongID = await #expect(throws: BlockStoreError.self) {
                try await store.put(blocks: [(good.id, good.bytes), (other.id, good.bytes)])
            }
            #expect(wrongID?.code == .idMismatch)
            let big = randomBlock(1001)
            let tooLarge = await #expect(throws: BlockStoreError.self) { try await store.put(blocks: [(good.id, good.bytes), (big.id, big.bytes)]) }
            #expect(tooLarge?.code == .tooLarge)
            #expect(store.stats.blocks == 0)
            #expect(try store.get(id: good.id) == nil)
        }
    }

    @Test func aBatchSurvivesAReopen() async throws {
        try await withDataPath { path in
            let blocks = (0..<50).map { randomBlock(1 + $0 * 101) }
            do {
                let store = try BlockStore(path: path)
                _ = try await store.put(blocks: blocks.map { ($0.id, $0.bytes) })
                store.close()
            }
            let reopened = try BlockStore(path: path)
            defer { reopened.close() }
            #expect(reopened.stats.blocks == 50)
            for block in blocks { #expect(try reopened.get(id: block.id) == block.bytes) }
        }
    }
}
