import BlockStore
import ChordRing
import PeerStoreCrypto
import Testing

@Suite struct BlockPutGetTests {
    @Test func putGetRoundTrip() async throws {
        try await withDataPath { path in
            let store = try BlockStore(path: path)
            defer { store.close() }
            var blocks: [(id: Identifier, bytes: [UInt8])] = []
            for size in [0, 1, 51, 52, 4096, 100_000] {
                let block = randomBlock(size)
                #expect(try await store.put(id: block.id, bytes: block.bytes) == .stored)
                blocks.append(block)
            }
            for block in blocks {
                #expect(try store.get(id: block.id) == block.bytes)
            }
            #expect(try store.get(id: randomBlock(10).id) == nil)
            let stats = store.stats
            #expect(stats.blocks == blocks.count)
            #expect(stats.blockBytes == blocks.reduce(0) { $0 + $1.bytes.count })
        }
    }

    @Test func idMismatchIsRejected() async throws {
        try await withDataPath { path in
            let store = try BlockStore(path: path)
            defer { store.close() }
            let block = randomBlock(100)
            var altered = block.bytes
            altered[50] ^= 0x10
            let error = await #expect(throws: BlockStoreError.self) { try await store.put(id: block.id, bytes: altered) }
            #expect(error?.code == .idMismatch)
            #expect(!store.contains(block.id))
            #expect(store.stats.blocks == 0)
        }
    }

    @Test func tooLargeIsRejected() async throws {
        try await withDataPath { path in
            var settings = BlockStoreSettings()
            settings.maxBlockSize = 1000
            let store = try BlockStore(path: path, settings: settings)
            defer { store.close() }
            let ok = randomBlock(1000)
            #expect(try await store.put(id: ok.id, bytes: ok.bytes) == .stored)
            let big = randomBlock(1001)
            let error = await #expect(throws: BlockStoreError.self) { try await store.put(id: big.id, bytes: big.bytes) }
            #expect(error?.code == .tooLarge)
            #expect(!store.contains(big.id))
        }
    }

    @Test func defaultLimitIsEightMiB() async throws {
        try await withDataPath { path in
            let store = try BlockStore(path: path)
            defer { store.close() }
            #expect(store.settings.maxBlockSize == 8 << 20)
            let big = randomBlock((8 << 20) + 1)
            let error = await #expect(throws: BlockStoreError.self) { try await store.put(id: big.id, bytes: big.bytes) }
            #expect(error?.code == .tooLarge)
        }
    }

    @Test func duplicatePutIsAlreadyPresent() async throws {
        try await withDataPath { path in
            let store = try BlockStore(path: path)
            defer { store.close() }
            let block = randomBlock(300)
            #expect(try await store.put(id: block.id, bytes: block.bytes) == .stored)
            let sizeAfterFirst = try fileSize(try segmentFiles(path).last!)
            #expect(try await store.put(id: block.id, bytes: block.bytes) == .alreadyPresent)
            #expect(try fileSize(try segmentFiles(path).last!) == sizeAfterFirst, "a duplicate is not written again")
            #expect(store.stats.blocks == 1)
        }
    }

    /// Many concurrent puts of one block: exactly one stores it, the rest see it present.
    @Test func concurrentDuplicatesStoreOnce() async throws {
        try await withDataPath { path in
            let store = try BlockStore(path: path)
            defer { store.close() }
            let block = randomBlock(2000)
            let outcomes = try await withThrowingTaskGroup(of: BlockStore.PutOutcome.self) { group in
                for _ in 0..<50 { group.addTask { try await store.put(id: block.id, bytes: block.bytes) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == .stored }.count == 1)
            #expect(outcomes.filter { $0 == .alreadyPresent }.count == 49)
            #expect(try fileSize(try segmentFiles(path).last!) == segmentHeaderSize + entrySize(2000))
        }
    }

    @Test func containsMany() async throws {
        try await withDataPath { path in
            let store = try BlockStore(path: path)
            defer { store.close() }
            let stored = (0..<5).map { randomBlock(10 + $0) }
            for block in stored { try await store.put(id: block.id, bytes: block.bytes) }
            let absent = (0..<3).map { randomBlock(20 + $0).id }
            let query = [stored[0].id, absent[0], stored[4].id, absent[1], stored[2].id, absent[2], stored[0].id]
            #expect(store.contains(query) == [true, false, true, false, true, false, true])
            #expect(store.contains([]) == [])
            #expect(store.contains(stored[3].id))
            #expect(!store.contains(absent[0]))
        }
    }

    @Test func putAfterCloseFails() async throws {
        try await withDataPath { path in
            let store = try BlockStore(path: path)
            store.close()
            store.close()  // idempotent
            let block = randomBlock(10)
            let error = await #expect(throws: BlockStoreError.self) { try await store.put(id: block.id, bytes: block.bytes) }
            #expect(error?.code == .closed)
        }
    }
}
