import BlockStore
import ChordRing
import PeerStoreCrypto
import PeerStoreModel
import Testing

/// Inboxes through the store: the rules apply, entries and removals survive a reopen, damage is caught at open, and a
/// data path from before inboxes opens and takes them.
@Suite struct InboxStoreTests {
    let owner = SigningKeyPair()
    let poster = SigningKeyPair()

    func entry(_ n: Int, by keys: SigningKeyPair? = nil) throws -> InboxEntry {
        try InboxEntry(owner: owner.publicKey, sealed: Array("sealed \(n)".utf8), posted: UInt64(n), signingWith: keys ?? poster)
    }

    @Test func postListRemoveAndRules() async throws {
        try await withDataPath { path in
            var settings = BlockStoreSettings()
            settings.inboxLimits = InboxLimits(entriesPerPoster: 2)
            let store = try BlockStore(path: path, settings: settings)
            defer { store.close() }
            let (a, b) = (try entry(1), try entry(2))
            #expect(try await store.post(a) == .stored)
            #expect(try await store.post(a) == .alreadyPresent)
            #expect(try await store.post(b) == .stored)
            let full = await #expect(throws: BlockStoreError.self) { try await store.post(try entry(3)) }
            #expect(full?.code == .inboxFull)
            var forged = try entry(4, by: SigningKeyPair())
            forged.sealed[0] ^= 1
            let bad = await #expect(throws: BlockStoreError.self) { try await store.post(forged) }
            #expect(bad?.code == .badInboxEntry)
            #expect(store.inboxState(for: owner.publicKey).sortedEntries == [a, b])

            var notOwners = try InboxRemoval(ids: [a.id], signingWith: poster)
            notOwners.owner = owner.publicKey
            let refused = await #expect(throws: BlockStoreError.self) { try await store.remove(notOwners) }
            #expect(refused?.code == .badInboxEntry)
            #expect(try await store.remove(try InboxRemoval(ids: [a.id], signingWith: owner)) == .stored)
            #expect(try await store.remove(try InboxRemoval(ids: [a.id], signingWith: owner)) == .alreadyPresent)
            #expect(store.inboxState(for: owner.publicKey).sortedEntries == [b])
            let removed = await #expect(throws: BlockStoreError.self) { try await store.post(a) }
            #expect(removed?.code == .inboxEntryRemoved)
            #expect(try await store.post(try entry(3)) == .stored)
            #expect(store.allInboxes().map(\.owner) == [owner.publicKey])
        }
    }

    @Test func entriesAndRemovalsSurviveAReopen() async throws {
        try await withDataPath { path in
            let entries = try (0..<6).map { try entry($0) }
            let other = SigningKeyPair()
            let elsewhere = try InboxEntry(owner: other.publicKey, sealed: [1], posted: 9, signingWith: poster)
            do {
                let store = try BlockStore(path: path)
                for e in entries { try await store.post(e) }
                try await store.post(elsewhere)
                try await store.remove(try InboxRemoval(ids: [entries[1].id, entries[4].id], signingWith: owner))
                store.close()
            }
            var settings = BlockStoreSettings()
            settings.verifyAllSegmentsOnOpen = true
            let store = try BlockStore(path: path, settings: settings)
            defer { store.close() }
            let inbox = store.inboxState(for: owner.publicKey)
            #expect(inbox.sortedEntries == [entries[0], entries[2], entries[3], entries[5]])
            #expect(inbox.tombstones == [entries[1].id, entries[4].id])
            #expect(store.inboxState(for: other.publicKey).sortedEntries == [elsewhere])
            let again = await #expect(throws: BlockStoreError.self) { try await store.post(entries[1]) }
            #expect(again?.code == .inboxEntryRemoved)
        }
    }

    @Test func aDamagedEntryIsSkippedAtOpenAndTheRestKept() async throws {
        try await withDataPath { path in
            let entries = try (0..<3).map { try entry($0) }
            do {
                let store = try BlockStore(path: path)
                for e in entries { try await store.post(e) }
                store.close()
            }
            let segment = try #require(try segmentFiles(path).last)
            // A byte of the second entry's sealed part: its signature no longer holds.
            let second = segmentHeaderSize + entrySize(entries[0].encodedLength) + EntryHeader.size + InboxEntry.overhead - 64
            try flipByte(in: segment, at: second)
            let store = try BlockStore(path: path)
            defer { store.close() }
            #expect(store.inboxState(for: owner.publicKey).sortedEntries == [entries[0], entries[2]])
            #expect(store.stats.truncatedBytesAtOpen == 0)
            #expect(try await store.post(entries[1]) == .stored)
        }
    }

    @Test func aTornInboxEntryIsTruncated() async throws {
        try await withDataPath { path in
            let (a, b) = (try entry(1), try entry(2))
            do {
                let store = try BlockStore(path: path)
                try await store.post(a)
                try await store.post(b)
                store.close()
            }
            let segment = try #require(try segmentFiles(path).last)
            try truncateFile(segment, to: try fileSize(segment) - 10)
            let store = try BlockStore(path: path)
            defer { store.close() }
            #expect(store.inboxState(for: owner.publicKey).sortedEntries == [a])
            #expect(store.stats.truncatedBytesAtOpen == entrySize(b.encodedLength) - 10)
        }
    }

    /// A data path written before inboxes holds blocks, records and drops only (kinds 1 to 3, unchanged): it opens
    /// with everything in it, takes inbox entries, and opens again with both.
    @Test func aDataPathFromBeforeInboxesOpensAndTakesThem() async throws {
        try await withDataPath { path in
            let block = randomBlock(700)
            let record = try signedRecord(owner, seq: 4, value: [4])
            do {
                let store = try BlockStore(path: path)
                try await store.put(id: block.id, bytes: block.bytes)
                try await store.put(record: record)
                store.close()
            }
            let e = try entry(1)
            do {
                let store = try BlockStore(path: path)
                #expect(try store.get(id: block.id) == block.bytes)
                #expect(store.record(for: record.key) == record)
                #expect(store.allInboxes().isEmpty)
                try await store.post(e)
                store.close()
            }
            let store = try BlockStore(path: path)
            defer { store.close() }
            #expect(try store.get(id: block.id) == block.bytes)
            #expect(store.record(for: record.key) == record)
            #expect(store.inboxState(for: owner.publicKey).sortedEntries == [e])
        }
    }
}
