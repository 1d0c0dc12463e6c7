import BlockStore
import ChordRing
import Foundation
import Testing

@Suite struct DurabilityTests {
    @Test func reopenAfterCloseSeesBlocksAndRecords() async throws {
        try await withDataPath { path in
            let blocks = (0..<40).map { randomBlock(1 + $0 * 37) }
            let keys = try recordOwner()
            let record = try signedRecord(keys, seq: 3, value: [1, 2, 3])
            do {
                let store = try BlockStore(path: path)
                for block in blocks { try await store.put(id: block.id, bytes: block.bytes) }
                try await store.put(record: try signedRecord(keys, seq: 1, value: [1]))
                try await store.put(record: record)
                store.close()
                // The store object is still alive here: close alone must release the data path.
                let reopened = try BlockStore(path: path)
                defer { reopened.close() }
                #expect(reopened.stats.blocks == blocks.count)
                #expect(reopened.stats.truncatedBytesAtOpen == 0)
                for block in blocks { #expect(try reopened.get(id: block.id) == block.bytes) }
                #expect(reopened.record(for: record.key) == record)
                #expect(reopened.stats.records == 1)
                _ = store
            }
        }
    }

    @Test func secondStoreOnSamePathIsLocked() async throws {
        try await withDataPath { path in
            let store = try BlockStore(path: path)
            defer { store.close() }
            let error = #expect(throws: BlockStoreError.self) { try BlockStore(path: path) }
            #expect(error?.code == .locked)
            // The first store still works.
            let block = randomBlock(64)
            #expect(try await store.put(id: block.id, bytes: block.bytes) == .stored)
        }
    }

    /// 2,000 concurrent puts share far fewer fdatasyncs than puts (group commit).
    @Test func groupCommitBatchesSyncs() async throws {
        try await withDataPath { path in
            let store = try BlockStore(path: path)
            defer { store.close() }
            let blocks = (0..<2000).map { randomBlock(16 + $0 % 200) }
            let started = Date()
            try await withThrowingTaskGroup(of: BlockStore.PutOutcome.self) { group in
                for block in blocks { group.addTask { try await store.put(id: block.id, bytes: block.bytes) } }
                for try await outcome in group { #expect(outcome == .stored) }
            }
            let stats = store.stats
            #expect(stats.blocks == 2000)
            #expect(stats.syncs >= 1)
            #expect(stats.syncs <= 200, "syncs: \(stats.syncs) for 2000 puts")
            #expect(store.contains(blocks.map(\.id)).allSatisfy { $0 })
            #expect(Date().timeIntervalSince(started) < 30)
        }
    }

    @Test func segmentsRollAndSurviveReopen() async throws {
        try await withDataPath { path in
            let settings = smallSegments(4096)
            let blocks = (0..<60).map { randomBlock(200 + $0 * 10) }
            do {
                let store = try BlockStore(path: path, settings: settings)
                for block in blocks { try await store.put(id: block.id, bytes: block.bytes) }
                let files = try segmentFiles(path)
                #expect(files.count > 5)
                #expect(store.stats.segments == files.count)
                for file in files.dropLast() { #expect(try fileSize(file) <= 4096) }
                for block in blocks { #expect(try store.get(id: block.id) == block.bytes) }
                store.close()
            }
            let reopened = try BlockStore(path: path, settings: settings)
            defer { reopened.close() }
            #expect(reopened.stats.blocks == blocks.count)
            #expect(reopened.stats.segments == (try segmentFiles(path)).count)
            for block in blocks { #expect(try reopened.get(id: block.id) == block.bytes) }
            // Writing continues in the newest segment.
            let more = randomBlock(3000)
            #expect(try await reopened.put(id: more.id, bytes: more.bytes) == .stored)
            #expect(try reopened.get(id: more.id) == more.bytes)
        }
    }

    /// A block bigger than the segment limit still goes in (a segment of its own).
    @Test func blockLargerThanSegmentLimit() async throws {
        try await withDataPath { path in
            let store = try BlockStore(path: path, settings: smallSegments(1024))
            defer { store.close() }
            let small = randomBlock(100), big = randomBlock(5000), after = randomBlock(100)
            for block in [small, big, after] { try await store.put(id: block.id, bytes: block.bytes) }
            for block in [small, big, after] { #expect(try store.get(id: block.id) == block.bytes) }
            #expect(store.stats.segments == 3)
        }
    }
}
