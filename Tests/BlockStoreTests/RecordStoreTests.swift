import BlockStore
import PeerStoreCrypto
import PeerStoreModel
import Testing

/// Records through the store: the rules apply, and records survive a reopen.
@Suite struct RecordStoreTests {
    @Test func putGetAndRules() async throws {
        try await withDataPath { path in
            let store = try BlockStore(path: path)
            defer { store.close() }
            let keys = SigningKeyPair()
            let v1 = try signedRecord(keys, seq: 1, value: [1])
            #expect(store.record(for: v1.key) == nil)
            #expect(try await store.put(record: v1) == .stored)
            #expect(store.record(for: v1.key) == v1)
            #expect(try await store.put(record: v1) == .alreadyPresent)

            let stale = await #expect(throws: BlockStoreError.self) { try await store.put(record: try signedRecord(keys, seq: 1, value: [9])) }
            #expect(stale?.code == .staleRecord)
            let cas = await #expect(throws: BlockStoreError.self) {
                try await store.put(record: try signedRecord(keys, seq: 2, value: [2]), expectedSeq: 0)
            }
            #expect(cas?.code == .casFailed)
            var forged = try signedRecord(keys, seq: 3, value: [3])
            forged.value = [4]
            let bad = await #expect(throws: BlockStoreError.self) { try await store.put(record: forged) }
            #expect(bad?.code == .badRecord)
            #expect(store.record(for: v1.key) == v1)

            let v2 = try signedRecord(keys, seq: 2, value: [2])
            #expect(try await store.put(record: v2, expectedSeq: 1) == .stored)
            #expect(store.record(for: v1.key) == v2)
            #expect(store.stats.records == 1)
        }
    }

    /// Concurrent puts of increasing seqs: the store ends at the highest, never goes back, and a reopen agrees.
    @Test func concurrentPutsKeepTheHighestSeq() async throws {
        try await withDataPath { path in
            let keys = SigningKeyPair()
            let records = try (1...30).map { try signedRecord(keys, seq: UInt64($0), value: [UInt8($0)]) }
            do {
                let store = try BlockStore(path: path)
                await withTaskGroup(of: Void.self) { group in
                    for record in records.shuffled() { group.addTask { _ = try? await store.put(record: record) } }
                }
                #expect(store.record(for: records[0].key)?.seq == 30)
                store.close()
            }
            let reopened = try BlockStore(path: path)
            defer { reopened.close() }
            #expect(reopened.record(for: records[0].key) == records.last)
        }
    }

    @Test func recordsAndBlocksSurviveReopenTogether() async throws {
        try await withDataPath { path in
            let owners = (0..<5).map { _ in SigningKeyPair() }
            var latest: [SignedRecord] = []
            let blocks = (0..<10).map { randomBlock(50 + $0) }
            do {
                let store = try BlockStore(path: path)
                for (i, owner) in owners.enumerated() {
                    for seq in 1...UInt64(i + 1) { try await store.put(record: try signedRecord(owner, seq: seq, value: [UInt8(seq)])) }
                    latest.append(try #require(store.record(for: SignedRecord.key(owner: owner.publicKey, salt: Array("profile".utf8)))))
                    try await store.put(id: blocks[i].id, bytes: blocks[i].bytes)
                }
                for block in blocks.suffix(5) { try await store.put(id: block.id, bytes: block.bytes) }
                store.close()
            }
            let reopened = try BlockStore(path: path)
            defer { reopened.close() }
            #expect(reopened.stats.records == 5)
            for record in latest { #expect(reopened.record(for: record.key) == record) }
            for block in blocks { #expect(try reopened.get(id: block.id) == block.bytes) }
        }
    }
}
