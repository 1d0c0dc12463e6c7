import BlockStore
import ChordRing
import Foundation
import PeerStoreTestKit
import Testing

/// Reads check a block's stored copy by the XXH3-64 its entry header holds (PSE2, PSE3), not by its full hash; an entry
/// an older build wrote (PSE1) is checked by its id as before.
@Suite struct ReadChecksumTests {
    @Test func newEntriesCarryTheChecksumAndADamagedPayloadIsCaughtOnRead() async throws {
        try await withDataPath { path in
            let blocks = (0..<3).map { randomBlock(700 + $0) }
            let store = try BlockStore(path: path)
            defer { store.close() }
            for block in blocks { try await store.put(id: block.id, bytes: block.bytes) }
            let segment = try #require(try segmentFiles(path).last)
            let entries = SegmentLayout.entries(ofFile: segment)
            #expect(entries.count == 3 && entries.allSatisfy { $0.hasPayloadChecksum })
            try flipByte(in: segment, at: entries[1].payload + 300, mask: 0x10)

            let error = #expect(throws: BlockStoreError.self) { try store.get(id: blocks[1].id) }
            #expect(error?.code == .corruptBlock)
            #expect(store.contains(blocks.map(\.id)) == [true, false, true])
            #expect(try store.get(id: blocks[0].id) == blocks[0].bytes)
            #expect(try store.get(id: blocks[2].id) == blocks[2].bytes)
        }
    }

    /// The read trusts the checksum alone: a damaged payload whose checksum was made to agree is served. That is the
    /// case a client's report is for (below), and what start-up and the scrubber still catch by the full hash.
    @Test func aReadChecksOnlyTheChecksumAndAReportDropsTheDamagedCopy() async throws {
        try await withDataPath { path in
            let settings = smallSegments(1024)
            let blocks = (0..<4).map { randomBlock(900 + $0) }  // one block per segment
            do {
                let store = try BlockStore(path: path, settings: settings)
                for block in blocks { try await store.put(id: block.id, bytes: block.bytes) }
                store.close()
            }
            let segment = try segmentFiles(path)[1]
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: segment)))
            let entry = try #require(SegmentLayout.entries(bytes).first)
            bytes[entry.payload + 5] ^= 0x80
            #expect(SegmentLayout.refreshPayloadChecksum(of: entry, in: &bytes))
            try Data(bytes).write(to: URL(fileURLWithPath: segment))

            do {
                let store = try BlockStore(path: path, settings: settings)  // a sealed segment: not verified at start-up
                let served = try #require(try store.get(id: blocks[1].id))
                #expect(served != blocks[1].bytes && served.count == blocks[1].bytes.count)
                #expect(try store.checkReported(blocks[1].id) == .dropped)
                #expect(!store.contains(blocks[1].id))
                #expect(try store.get(id: blocks[1].id) == nil)
                #expect(try store.checkReported(blocks[1].id) == .absent)
                store.close()
            }
            // Stays dropped after a restart (a drop entry), and a good copy put again is kept.
            let again = try BlockStore(path: path, settings: settings)
            defer { again.close() }
            #expect(again.contains(blocks.map(\.id)) == [true, false, true, true])
            #expect(try await again.put(id: blocks[1].id, bytes: blocks[1].bytes) == .stored)
            #expect(try again.get(id: blocks[1].id) == blocks[1].bytes)
        }
    }

    @Test func aReportAboutAnIntactBlockDropsNothing() async throws {
        try await withDataPath { path in
            let block = randomBlock(1200)
            do {
                let store = try BlockStore(path: path)
                try await store.put(id: block.id, bytes: block.bytes)
                for _ in 0..<3 { #expect(try store.checkReported(block.id) == .intact) }
                #expect(try store.checkReported(randomBlock(10).id) == .absent)
                #expect(try store.get(id: block.id) == block.bytes)
                store.close()
            }
            let again = try BlockStore(path: path)
            defer { again.close() }
            #expect(try again.get(id: block.id) == block.bytes)
            #expect(again.stats.blocks == 1)
        }
    }

    /// A segment an older build wrote (PSE1 or PSE2 headers, bytes as `LegacyEntry` encodes them) opens and serves its
    /// blocks; a damaged one is caught (by its full hash, or by its payload checksum); new entries appended beside them
    /// have this build's 53-byte PSE3 header.
    @Test(arguments: LegacyEntry.Layout.allCases)
    func anOldFormatSegmentStillOpensAndServesItsBlocks(layout: LegacyEntry.Layout) async throws {
        try await withDataPath { path in
            let blocks = (0..<3).map { randomBlock(400 + $0) }
            var bytes = LegacyEntry.segment(blocks: blocks, layout: layout)
            let entries = SegmentLayout.entries(bytes)
            #expect(entries.count == 3 && entries.allSatisfy { $0.version == (layout == .pse1 ? 1 : 2) })
            bytes[entries[2].payload + 1] ^= 1
            try FileManager.default.createDirectory(atPath: path + "/segments", withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: path + "/segments/0000000001.seg"))
            try Data(Array("PEERSTORE-SEG-v1".utf8)).write(to: URL(fileURLWithPath: path + "/segments/0000000002.seg"))

            let store = try BlockStore(path: path)
            defer { store.close() }
            #expect(store.stats.blocks == 3 && store.stats.truncatedBytesAtOpen == 0)
            #expect(try store.get(id: blocks[0].id) == blocks[0].bytes)
            #expect(try store.get(id: blocks[1].id) == blocks[1].bytes)
            let error = #expect(throws: BlockStoreError.self) { try store.get(id: blocks[2].id) }
            #expect(error?.code == .corruptBlock)
            let fresh = randomBlock(500)
            try await store.put(id: fresh.id, bytes: fresh.bytes)
            let appended = SegmentLayout.entries(ofFile: try segmentFiles(path)[1]).first
            #expect(appended?.version == 3 && appended.map { $0.payload - $0.start } == 53)
            #expect(try store.get(id: fresh.id) == fresh.bytes)
        }
    }

    /// Compaction copies entries byte for byte: a PSE1 or PSE2 entry keeps its header, a PSE3 entry too, and all read
    /// after it.
    @Test(arguments: LegacyEntry.Layout.allCases)
    func compactionKeepsEveryVersionByteForByte(layout: LegacyEntry.Layout) async throws {
        try await withDataPath { path in
            let old = (0..<3).map { randomBlock(300 + $0) }
            let oldSegment = LegacyEntry.segment(blocks: old, layout: layout)
            try FileManager.default.createDirectory(atPath: path + "/segments", withIntermediateDirectories: true)
            try Data(oldSegment).write(to: URL(fileURLWithPath: path + "/segments/0000000001.seg"))
            try Data(Array("PEERSTORE-SEG-v1".utf8)).write(to: URL(fileURLWithPath: path + "/segments/0000000002.seg"))
            let new = (0..<3).map { randomBlock(600 + $0) }
            do {
                let store = try BlockStore(path: path, settings: smallSegments(1400))
                for block in new { try await store.put(id: block.id, bytes: block.bytes) }
                #expect(try segmentFiles(path).count >= 3)
                let first = try store.compact(segment: 1)
                #expect(first.entriesKept == 3 && first.bytesAfter == oldSegment.count)
                let second = try store.compact(segment: 2)
                #expect(second.entriesKept >= 1)
                for block in old + new { #expect(try store.get(id: block.id) == block.bytes) }
                store.close()
            }
            #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: path + "/segments/0000000001.seg"))) == oldSegment)
            #expect(SegmentLayout.entries(ofFile: try segmentFiles(path)[1]).allSatisfy { $0.version == 3 })
            let again = try BlockStore(path: path, settings: smallSegments(1400))
            defer { again.close() }
            for block in old + new { #expect(try again.get(id: block.id) == block.bytes) }
        }
    }
}
