import BlockStore
import ChordRing
import NIOCore
import PeerStoreModel
import Testing

/// Start-up trusts an older (sealed) segment no more than the newest: a record whose signature does not verify is not
/// indexed wherever it lies, and after damage the scan re-syncs onto the next entry header but checks every payload
/// from there, so a forged entry inside a stored block's bytes is not indexed either.
@Suite struct StartupTrustTests {
    @Test func aBadlySignedRecordInASealedSegmentIsNotIndexed() async throws {
        try await withDataPath { path in
            let settings = smallSegments(1024)
            let owner = try recordOwner()
            let record = try signedRecord(owner, seq: 3, value: Array(repeating: 7, count: 100))
            do {
                let store = try BlockStore(path: path, settings: settings)
                _ = try await store.put(record: record)
                for _ in 0..<3 {
                    let block = randomBlock(900)
                    _ = try await store.put(id: block.id, bytes: block.bytes)
                }
                store.close()
            }
            // The record's segment is sealed now; its last payload byte is part of the signature.
            let first = try #require(try segmentFiles(path).first)
            var encoded = ByteBuffer()
            record.encode(into: &encoded)
            try flipByte(in: first, at: segmentHeaderSize + EntryHeader.size + encoded.readableBytes - 1)
            let store = try BlockStore(path: path, settings: settings)
            defer { store.close() }
            #expect(store.record(for: record.key) == nil, "a record whose signature fails is not served")
        }
    }

    @Test func aForgedEntryInsideABlockIsNotIndexedAfterAResync() async throws {
        try await withDataPath { path in
            let settings = smallSegments(4096)
            // A block whose bytes hold an entry header claiming id `forged` for bytes that do not hash to it.
            let forged = BlockID.of([1, 2, 3])
            let fake = [UInt8](repeating: 0x5A, count: 200)
            let carrier = EntryHeader(kind: .block, key: forged, payload: fake).encoded() + fake
            let carrierID = BlockID.of(carrier)
            let later = randomBlock(3000)  // fills the segment, so the carrier's is sealed
            do {
                let store = try BlockStore(path: path, settings: settings)
                _ = try await store.put(id: carrierID, bytes: carrier)
                _ = try await store.put(id: later.id, bytes: later.bytes)
                let another = randomBlock(3000)
                _ = try await store.put(id: another.id, bytes: another.bytes)
                store.close()
            }
            // Damage the carrier's own header: the scan re-syncs at the next magic, inside the carrier's bytes.
            let first = try #require(try segmentFiles(path).first)
            try flipByte(in: first, at: segmentHeaderSize + 20)
            let store = try BlockStore(path: path, settings: settings)
            defer { store.close() }
            #expect(store.contains([forged]) == [false], "the forged entry is not indexed")
            #expect(!store.contains(carrierID), "the damaged carrier is not either")
        }
    }
}
