import BlockStore
import ChordRing
import Foundation
import Testing

/// A block found damaged on read stays dropped: a drop entry in the log keeps it out of the index after a restart, and
/// a good copy put later (a repair) is kept.
@Suite struct DropTests {
    /// The damaged block sits in an older segment, which start-up does not verify: only the drop entry keeps it out.
    @Test func aDropSurvivesARestartAndARepairSurvivesTheDrop() async throws {
        try await withDataPath { path in
            let settings = smallSegments(1024)
            let blocks = (0..<4).map { randomBlock(600 + $0) }  // one block per segment
            let victim = blocks[1]
            do {
                let store = try BlockStore(path: path, settings: settings)
                for block in blocks { try await store.put(id: block.id, bytes: block.bytes) }
                store.close()
            }
            try flipByte(in: try segmentFiles(path)[1], at: segmentHeaderSize + EntryHeader.size + 10)
            do {
                let store = try BlockStore(path: path, settings: settings)
                #expect(store.contains(victim.id))  // not verified at start-up: found on read
                let error = #expect(throws: BlockStoreError.self) { try store.get(id: victim.id) }
                #expect(error?.code == .corruptBlock)
                store.close()
            }
            // Still dropped after a restart: not counted as held, so have-blocks (anti-entropy, check) sees it missing.
            do {
                let again = try BlockStore(path: path, settings: settings)
                defer { again.close() }
                #expect(again.contains(blocks.map(\.id)) == [true, false, true, true])
                #expect(again.stats.blocks == 3)
                #expect(try again.get(id: victim.id) == nil)
                #expect(try await again.put(id: victim.id, bytes: victim.bytes) == .stored)
            }
            // The repaired copy, written after the drop, is kept by the next start-up.
            let repaired = try BlockStore(path: path, settings: settings)
            defer { repaired.close() }
            for block in blocks { #expect(try repaired.get(id: block.id) == block.bytes) }
            #expect(repaired.stats.blocks == 4)
        }
    }

    /// A segment as written before drop entries existed (kinds 1 and 2 only, byte for byte) opens and reads as before.
    @Test func aSegmentWrittenBeforeDropsStillReads() async throws {
        try await withDataPath { path in
            let blocks = (0..<3).map { randomBlock(100 + $0) }
            var bytes = Array("PEERSTORE-SEG-v1".utf8)
            for block in blocks {
                bytes += EntryHeader(kind: .block, length: UInt32(block.bytes.count), key: block.id, payloadChecksum: nil).encoded() + block.bytes
            }
            try FileManager.default.createDirectory(atPath: path + "/segments", withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: path + "/segments/0000000001.seg"))
            let store = try BlockStore(path: path)
            defer { store.close() }
            #expect(store.stats.blocks == 3 && store.stats.truncatedBytesAtOpen == 0)
            for block in blocks { #expect(try store.get(id: block.id) == block.bytes) }
        }
    }
}
