import BlockStore
import ChordRing
import Foundation
import PeerStoreCrypto
import PeerStoreModel
import Testing

/// `BlockStore.compact(segment:)` and the live-byte accounting it is chosen by.
@Suite struct CompactionTests {
    let scenario = CompactionScenario()

    @Test func liveBytesAreExactAndTheSameAfterAReopen() async throws {
        try await withDataPath { path in
            let store = try BlockStore(path: path, settings: CompactionScenario.settings)
            let blocks = try await scenario.fill(store)
            let usage = store.segmentUsage
            let files = try segmentFiles(path)
            #expect(usage.count == files.count)
            for (segment, file) in zip(usage, files) { #expect(segment.total == (try fileSize(file)) - segmentHeaderSize) }
            // Live: every block kept (one in four), the newest record, and every lease, release and tombstone entry.
            let liveBlocks = blocks.enumerated().filter { $0.offset % 4 == 0 }.reduce(0) { $0 + entrySize($1.element.bytes.count) }
            let record = try #require(store.allRecords().first)
            let others = usage.reduce(0) { $0 + $1.total } - blocks.reduce(0) { $0 + entrySize($1.bytes.count) }
                - 12 * entrySize(record.encoded().count)
            #expect(usage.reduce(0) { $0 + $1.live } == liveBlocks + entrySize(record.encoded().count) + others)
            #expect(usage.contains { $0.liveFraction < 0.5 })
            store.close()
            let reopened = try BlockStore(path: path, settings: CompactionScenario.settings)
            defer { reopened.close() }
            #expect(reopened.segmentUsage == usage)
        }
    }

    @Test func compactionKeepsTheContentsAndShrinksTheDataPath() async throws {
        try await withDataPath { path in
            let store = try BlockStore(path: path, settings: CompactionScenario.settings)
            _ = try await scenario.fill(store)
            let before = try StoreContents(store)
            let usageBefore = store.segmentUsage
            let bytesBefore = try segmentBytes(path)
            var compacted = 0
            for _ in 0..<100 {  // bounded: each round rewrites one segment, so this ends long before
                guard let result = try store.compactNext(CompactionPlan()) else { break }
                #expect(result.bytesAfter < result.bytesBefore)
                compacted += 1
            }
            #expect(compacted > 0)
            #expect(try store.compactNext(CompactionPlan()) == nil)
            #expect(try StoreContents(store) == before)
            let bytesAfter = try segmentBytes(path)
            #expect(bytesAfter < bytesBefore)
            #expect(store.segmentUsage.reduce(0) { $0 + $1.live } == usageBefore.reduce(0) { $0 + $1.live })
            let usage = store.segmentUsage
            // Writes go on after compaction, and everything survives a reopen.
            let extra = randomBlock(500)
            try await store.put(id: extra.id, bytes: extra.bytes)
            var expected = before
            expected.blocks[extra.id] = extra.bytes
            store.close()
            let reopened = try BlockStore(path: path, settings: CompactionScenario.settings)
            defer { reopened.close() }
            #expect(try StoreContents(reopened) == expected)
            #expect(reopened.segmentUsage.dropLast() == usage.dropLast())
            print("compaction: \(bytesBefore) -> \(bytesAfter) bytes of segments, \(compacted) segments rewritten")
        }
    }

    @Test func theCurrentSegmentIsNeverCompacted() async throws {
        try await withDataPath { path in
            let store = try BlockStore(path: path, settings: CompactionScenario.settings)
            defer { store.close() }
            _ = try await scenario.fill(store)
            let error = #expect(throws: BlockStoreError.self) { try store.compact(segment: store.currentSegment) }
            #expect(error?.code == .io)
        }
    }

    /// Puts, deletes and record updates that run while a segment is rewritten win over it, now and after a reopen.
    @Test func writesDuringCompactionWin() async throws {
        try await withDataPath { path in
            let store = try BlockStore(path: path, settings: CompactionScenario.settings)
            let blocks = try await scenario.fill(store, count: 80, updates: 2)
            let kept = blocks.enumerated().filter { $0.offset % 4 == 0 }.map(\.element)
            let segment = try #require(store.segmentUsage.first { $0.liveFraction < 0.5 }).number
            let fresh = (0..<20).map { _ in randomBlock(300) }
            let compaction = Task.detached { try store.compact(segment: segment) }
            for (i, block) in fresh.enumerated() {
                try await store.put(id: block.id, bytes: block.bytes)
                if i < kept.count / 2 { try await store.delete(kept[i].id, now: CompactionScenario.t0 + 20) }
            }
            let newest = try signedRecord(scenario.owner, seq: 99, value: [99])
            try await store.put(record: newest)
            _ = try await compaction.value
            var expected = Set(kept.dropFirst(kept.count / 2).map(\.id))
            expected.formUnion(fresh.map(\.id))
            #expect(Set(store.blockIDs()) == expected)
            #expect(store.record(for: newest.key) == newest)
            let before = try StoreContents(store)
            store.close()
            let reopened = try BlockStore(path: path, settings: CompactionScenario.settings)
            defer { reopened.close() }
            #expect(try StoreContents(reopened) == before)
        }
    }
}

/// Damaged blocks and drop entries around a compaction.
@Suite struct CompactionDamageTests {
    /// A block that fails its hash while it is copied is dropped, as a read would, and stays dropped after a reopen;
    /// a block dropped and repaired before the compaction stays repaired.
    @Test func damagedBlocksStayDroppedAndRepairsStay() async throws {
        try await withDataPath { path in
            let settings = smallSegments(4096)
            let store = try BlockStore(path: path, settings: settings)
            let blocks = (0..<24).map { randomBlock(400 + $0) }
            for block in blocks { try await store.put(id: block.id, bytes: block.bytes) }
            let first = try #require(try segmentFiles(path).first)
            // blocks[0] and blocks[1] lie in segment 1: entries of 452 and 453 bytes after the 16-byte header.
            try flipByte(in: first, at: segmentHeaderSize + EntryHeader.size + 10)  // blocks[0]
            try flipByte(in: first, at: segmentHeaderSize + entrySize(400) + EntryHeader.size + 10)  // blocks[1]
            #expect(throws: BlockStoreError.self) { try store.get(id: blocks[1].id) }  // dropped by a read...
            try await store.put(id: blocks[1].id, bytes: blocks[1].bytes)  // ...and repaired into the newest segment
            let deleted = blocks[2...5].map(\.id)
            for id in deleted { try await store.delete(id, now: 1_800_000_000) }
            let result = try store.compact(segment: 1)
            #expect(result.entriesRemoved >= 2)
            #expect(!store.contains(blocks[0].id))  // found damaged while copying
            #expect(try store.get(id: blocks[1].id) == blocks[1].bytes)
            store.close()
            let reopened = try BlockStore(path: path, settings: settings)
            defer { reopened.close() }
            #expect(!reopened.contains(blocks[0].id))
            #expect(try reopened.get(id: blocks[1].id) == blocks[1].bytes)
            for id in deleted { #expect(!reopened.contains(id)) }
            for block in blocks.dropFirst(6) { #expect(try reopened.get(id: block.id) == block.bytes) }
        }
    }
}
