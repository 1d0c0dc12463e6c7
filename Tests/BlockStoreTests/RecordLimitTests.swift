import BlockStore
import PeerStoreModel
import Testing

/// One owner's records are capped (`maxRecordsPerOwner`): a new key past the cap is refused with its own code, an
/// update of a key it has is not, another owner is not affected, and the count survives a reopen.
@Suite struct RecordLimitTests {
    @Test func anOwnerPastItsCapIsRefusedNewKeysOnly() async throws {
        try await withDataPath { path in
            var settings = BlockStoreSettings()
            settings.maxRecordsPerOwner = 3
            let owner = try recordOwner(), other = try recordOwner()
            do {
                let store = try BlockStore(path: path, settings: settings)
                for i in 0..<3 { try await store.put(record: try signedRecord(owner, salt: [UInt8(i)], seq: 1, value: [1])) }
                let refused = await #expect(throws: BlockStoreError.self) {
                    try await store.put(record: try signedRecord(owner, salt: [9], seq: 1, value: [1]))
                }
                #expect(refused?.code == .tooManyRecords)
                #expect(try await store.put(record: try signedRecord(owner, salt: [0], seq: 2, value: [2])) == .stored, "an update")
                #expect(try await store.put(record: try signedRecord(other, salt: [9], seq: 1, value: [1])) == .stored)
                #expect(store.recordCount(of: owner.publicKey) == 3 && store.recordCount(of: other.publicKey) == 1)
                store.close()
            }
            let store = try BlockStore(path: path, settings: settings)
            defer { store.close() }
            #expect(store.recordCount(of: owner.publicKey) == 3, "counted again at open")
            await #expect(throws: BlockStoreError.self) {
                try await store.put(record: try signedRecord(owner, salt: [8], seq: 1, value: [1]))
            }
        }
    }
}
