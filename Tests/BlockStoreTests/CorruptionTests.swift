import BlockStore
import ChordRing
import Testing

/// Reads verify the hash: a block damaged on disk is reported as corrupt and dropped from the index.
@Suite struct CorruptionTests {
    @Test func corruptPayloadIsReportedAndDropped() async throws {
        try await withDataPath { path in
            let store = try BlockStore(path: path)
            defer { store.close() }
            let first = randomBlock(500), victim = randomBlock(800), last = randomBlock(300)
            for block in [first, victim, last] { try await store.put(id: block.id, bytes: block.bytes) }
            let segment = try #require(try segmentFiles(path).last)
            let victimPayload = segmentHeaderSize + entrySize(500) + EntryHeader.size
            try flipByte(in: segment, at: victimPayload + 400, mask: 0x40)

            let error = #expect(throws: BlockStoreError.self) { try store.get(id: victim.id) }
            #expect(error?.code == .corruptBlock)
            #expect(!store.contains(victim.id))
            #expect(store.contains([first.id, victim.id, last.id]) == [true, false, true])
            #expect(try store.get(id: victim.id) == nil)
            #expect(store.stats.blocks == 2)
            #expect(store.stats.blockBytes == 800)
            #expect(try store.get(id: first.id) == first.bytes)
            #expect(try store.get(id: last.id) == last.bytes)
            // A replica can supply it again.
            #expect(try await store.put(id: victim.id, bytes: victim.bytes) == .stored)
            #expect(try store.get(id: victim.id) == victim.bytes)
        }
    }

    /// Damage inside a sealed (older) segment is found on read after a reopen.
    @Test func corruptBlockInOlderSegmentAfterReopen() async throws {
        try await withDataPath { path in
            let settings = smallSegments(1024)
            let blocks = (0..<6).map { randomBlock(600 + $0) }  // one block per segment
            do {
                let store = try BlockStore(path: path, settings: settings)
                for block in blocks { try await store.put(id: block.id, bytes: block.bytes) }
                store.close()
            }
            let files = try segmentFiles(path)
            #expect(files.count == 6)
            try flipByte(in: files[1], at: segmentHeaderSize + EntryHeader.size + 10)
            let store = try BlockStore(path: path, settings: settings)
            defer { store.close() }
            let error = #expect(throws: BlockStoreError.self) { try store.get(id: blocks[1].id) }
            #expect(error?.code == .corruptBlock)
            #expect(!store.contains(blocks[1].id))
            for (i, block) in blocks.enumerated() where i != 1 { #expect(try store.get(id: block.id) == block.bytes) }
        }
    }

    /// A damaged payload in the newest segment costs that block only: the acknowledged blocks written after it survive
    /// a reopen.
    @Test func corruptPayloadInNewestSegmentDoesNotLoseLaterBlocks() async throws {
        try await withDataPath { path in
            let blocks = (0..<5).map { _ in randomBlock(200) }
            do {
                let store = try BlockStore(path: path)
                for block in blocks { try await store.put(id: block.id, bytes: block.bytes) }
                store.close()
            }
            let segment = try #require(try segmentFiles(path).last)
            let sizeBefore = try fileSize(segment)
            try flipByte(in: segment, at: segmentHeaderSize + entrySize(200) + EntryHeader.size + 7)
            let store = try BlockStore(path: path)
            defer { store.close() }
            #expect(!store.contains(blocks[1].id))
            for (i, block) in blocks.enumerated() where i != 1 { #expect(try store.get(id: block.id) == block.bytes) }
            #expect(try fileSize(segment) == sizeBefore)
            #expect(store.stats.truncatedBytesAtOpen == 0)
            #expect(try await store.put(id: blocks[1].id, bytes: blocks[1].bytes) == .stored)
            #expect(try store.get(id: blocks[1].id) == blocks[1].bytes)
        }
    }
}
