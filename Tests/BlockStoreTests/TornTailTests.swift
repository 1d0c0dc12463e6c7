import BlockStore
import ChordRing
import PeerStoreCrypto
import Testing

/// A crash leaves a torn tail at most: start-up truncates it; every earlier block stays whole and readable.
@Suite struct TornTailTests {
    enum Damage: String, CaseIterable {
        case garbage  // random bytes after the last entry
        case partialEntry  // a valid header whose payload was cut short
        case truncatedMidEntry  // the last entry's payload cut in half
        case truncatedMidHeader  // the last entry's header cut in half
        case zeroFilled  // the file extended with zeros (a crash after the size but before the data reached the disk)
    }

    @Test(arguments: Damage.allCases)
    func tornTailIsTruncated(damage: Damage) async throws {
        try await withDataPath { path in
            let intact = (0..<10).map { randomBlock(100 + $0 * 50) }
            let last = randomBlock(1000)
            do {
                let store = try BlockStore(path: path)
                for block in intact { try await store.put(id: block.id, bytes: block.bytes) }
                try await store.put(id: last.id, bytes: last.bytes)
                store.close()
            }
            let segment = try #require(try segmentFiles(path).last)
            let size = try fileSize(segment)
            let lastEntryStart = size - entrySize(last.bytes.count)
            var torn: Identifier? = nil
            switch damage {
            case .garbage:
                try appendBytes(SecureRandom.bytes(777), to: segment)
            case .partialEntry:
                let extra = randomBlock(500)
                let header = EntryHeader(kind: .block, key: extra.id, payload: extra.bytes).encoded()
                try appendBytes(header + extra.bytes.prefix(200), to: segment)
                torn = extra.id
            case .truncatedMidEntry:
                try truncateFile(segment, to: lastEntryStart + EntryHeader.size + 500)
                torn = last.id
            case .truncatedMidHeader:
                try truncateFile(segment, to: lastEntryStart + 20)
                torn = last.id
            case .zeroFilled:
                try appendBytes([UInt8](repeating: 0, count: 4096), to: segment)
            }
            let sizeBefore = try fileSize(segment)

            let store = try BlockStore(path: path)
            defer { store.close() }
            let stats = store.stats
            #expect(stats.truncatedBytesAtOpen > 0)
            #expect(stats.truncatedBytesAtOpen == sizeBefore - (torn == last.id ? lastEntryStart : size))
            for block in intact { #expect(try store.get(id: block.id) == block.bytes) }
            if let torn {
                #expect(!store.contains(torn))
                #expect(try store.get(id: torn) == nil)
            } else {
                #expect(try store.get(id: last.id) == last.bytes)
            }
            // The store accepts writes after recovery, and they survive another reopen with nothing to truncate.
            let after = randomBlock(321)
            #expect(try await store.put(id: after.id, bytes: after.bytes) == .stored)
            if torn == last.id { #expect(try await store.put(id: last.id, bytes: last.bytes) == .stored) }
            store.close()
            let again = try BlockStore(path: path)
            defer { again.close() }
            #expect(again.stats.truncatedBytesAtOpen == 0)
            #expect(try again.get(id: after.id) == after.bytes)
            #expect(try again.get(id: last.id) == last.bytes)
            for block in intact { #expect(try again.get(id: block.id) == block.bytes) }
        }
    }

    /// A crash that left the newest segment without even its file header: it is restarted empty.
    @Test func newestSegmentWithoutHeaderIsRestarted() async throws {
        try await withDataPath { path in
            let settings = smallSegments(2048)
            let blocks = (0..<12).map { randomBlock(400 + $0) }
            do {
                let store = try BlockStore(path: path, settings: settings)
                for block in blocks { try await store.put(id: block.id, bytes: block.bytes) }
                store.close()
            }
            let files = try segmentFiles(path)
            // Entries of 452 bytes, 2048-byte segments: four blocks per segment, the newest holds the last four.
            #expect(files.count == 3)
            try truncateFile(files.last!, to: 7)
            let store = try BlockStore(path: path, settings: settings)
            defer { store.close() }
            #expect(store.stats.truncatedBytesAtOpen == 7)
            for block in blocks.prefix(8) { #expect(try store.get(id: block.id) == block.bytes) }
            for block in blocks.suffix(4) { #expect(!store.contains(block.id)) }
            let after = randomBlock(100)
            #expect(try await store.put(id: after.id, bytes: after.bytes) == .stored)
            #expect(try store.get(id: after.id) == after.bytes)
        }
    }
}
