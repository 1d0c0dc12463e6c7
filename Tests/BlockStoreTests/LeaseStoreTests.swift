import BlockStore
import ChordRing
import Foundation
import PeerStoreCrypto
import PeerStoreModel
import Testing

/// Leases, releases and tombstones in the block store: applied, logged (kinds 6 to 8), replayed at open.
@Suite struct LeaseStoreTests {
    let holder = SigningKeyPair()
    let t0: UInt64 = 1_800_000_000
    let day: UInt64 = 24 * 3600
    let grace: UInt64 = 7 * 24 * 3600

    func settings(openedAt: UInt64) -> BlockStoreSettings {
        var settings = BlockStoreSettings()
        settings.wallClock = { openedAt }
        return settings
    }

    func grant(_ ids: [Identifier], at time: UInt64) throws -> LeaseGrant {
        try LeaseGrant(ids: ids, issuedAt: time, expiry: time + LeaseRules.standardLength, signingWith: holder)
    }

    func put(_ store: BlockStore, _ count: Int) async throws -> [(id: Identifier, bytes: [UInt8])] {
        let blocks = (0..<count).map { _ in randomBlock(300) }
        for block in blocks { try await store.put(id: block.id, bytes: block.bytes) }
        return blocks
    }

    @Test func aGrantLeasesTheBlocksHeldAndSaysWhichAreHeld() async throws {
        try await withDataPath { path in
            let store = try BlockStore(path: path, settings: settings(openedAt: t0))
            defer { store.close() }
            let blocks = try await put(store, 2)
            let absent = BlockID.of([1, 2, 3])
            let present = try await store.lease(try grant([blocks[0].id, absent, blocks[1].id], at: t0), now: t0)
            #expect(present == [true, false, true])
            #expect(store.leases(of: blocks[0].id)?.leases.first?.renewedAt == t0)
            #expect(store.leases(of: absent) == nil)
        }
    }

    @Test func badGrantsAndReleasesAreRefused() async throws {
        try await withDataPath { path in
            let store = try BlockStore(path: path)
            defer { store.close() }
            let blocks = try await put(store, 1)
            var forged = try grant([blocks[0].id], at: t0)
            forged.expiry += 1
            await expectBadLease { _ = try await store.lease(forged, now: self.t0) }
            let ahead = try grant([blocks[0].id], at: t0 + 3600)
            await expectBadLease { _ = try await store.lease(ahead, now: self.t0) }
            var release = try LeaseRelease(ids: [blocks[0].id], horizon: t0, signingWith: holder)
            release.ids.append(BlockID.of([9]))
            await expectBadLease { try await store.release(release, now: self.t0) }
            #expect(store.leases(of: blocks[0].id) == nil)
        }
    }

    @Test func leasesReleasesAndTombstonesSurviveARestart() async throws {
        try await withDataPath { path in
            var blocks: [(id: Identifier, bytes: [UInt8])] = []
            var before = LeaseTable()
            let released = t0 + 3 * day
            do {
                let store = try BlockStore(path: path, settings: settings(openedAt: t0))
                blocks = try await put(store, 4)
                _ = try await store.lease(try grant(blocks.map(\.id), at: t0), now: t0)
                #expect(try await store.release(try LeaseRelease(ids: [blocks[0].id, blocks[1].id], horizon: released,
                                                                 signingWith: holder), now: released) == (2, [false, false]))
                try await store.delete(blocks[2].id, now: released)
                before = store.leaseTable
                store.close()
            }
            let reopened = t0 + 4 * day
            let store = try BlockStore(path: path, settings: settings(openedAt: reopened))
            defer { store.close() }
            var expected = before
            expected.assumeRenewed(at: reopened)
            #expect(store.leaseTable == expected)
            #expect(store.leases(of: blocks[0].id)?.endedAt == released)
            #expect(store.leases(of: blocks[3].id)?.leases.first?.renewedAt == reopened)
            #expect(store.isTombstoned(blocks[2].id))
            #expect(!store.contains(blocks[2].id))
            #expect(try store.get(id: blocks[2].id) == nil)
            #expect(store.stats.blocks == 3)
            #expect(store.garbage(now: released + grace - 1, grace: grace) == [])
            #expect(store.garbage(now: released + grace, grace: grace) == [blocks[0].id, blocks[1].id].sorted())
        }
    }

    @Test func aRenewalThatMovesTheExpiryByLittleWritesNothing() async throws {
        try await withDataPath { path in
            let store = try BlockStore(path: path, settings: settings(openedAt: t0))
            defer { store.close() }
            let blocks = try await put(store, 3)
            let segment = try #require(try segmentFiles(path).last)
            let ids = blocks.map(\.id)
            _ = try await store.lease(try grant(ids, at: t0), now: t0)
            let afterFirst = try fileSize(segment)
            for run in 1...10 {
                let now = t0 + UInt64(run) * day
                #expect(try await store.lease(try grant(ids, at: now), now: now) == [true, true, true])
            }
            #expect(try fileSize(segment) == afterFirst)
            #expect(store.leases(of: ids[0])?.leases.first?.renewedAt == t0 + 10 * day)
            let later = t0 + 60 * day
            _ = try await store.lease(try grant(ids, at: later), now: later)
            #expect(try fileSize(segment) == afterFirst + entrySize(1 + 16 + 2 + 3 * 32 + 8))
        }
    }

    @Test func deleteIfGarbageKeepsWhatIsNotGarbage() async throws {
        try await withDataPath { path in
            let store = try BlockStore(path: path, settings: settings(openedAt: t0))
            defer { store.close() }
            let blocks = try await put(store, 3)
            let ids = blocks.map(\.id)
            _ = try await store.lease(try grant([ids[0], ids[1]], at: t0), now: t0)
            let released = t0 + 2 * day
            try await store.release(try LeaseRelease(ids: [ids[0], ids[1]], horizon: released, signingWith: holder), now: released)
            _ = try await store.lease(try grant([ids[1]], at: released + 1), now: released + 1)  // leased again
            let now = released + grace
            #expect(try await store.deleteIfGarbage(ids[0], now: now, grace: grace))
            #expect(try await !store.deleteIfGarbage(ids[1], now: now, grace: grace))  // leased again
            #expect(try await !store.deleteIfGarbage(ids[2], now: now, grace: grace))  // never leased
            #expect(!store.contains(ids[0]) && store.contains(ids[1]) && store.contains(ids[2]))
            #expect(store.isTombstoned(ids[0]))
        }
    }

    @Test func aPutOfATombstonedBlockClearsTheTombstone() async throws {
        try await withDataPath { path in
            let block = randomBlock(500)
            do {
                let store = try BlockStore(path: path, settings: settings(openedAt: t0))
                try await store.put(id: block.id, bytes: block.bytes)
                _ = try await store.lease(try grant([block.id], at: t0), now: t0)
                try await store.delete(block.id, now: t0 + day)
                #expect(store.isTombstoned(block.id))
                #expect(try await store.put(id: block.id, bytes: block.bytes) == .stored)
                #expect(!store.isTombstoned(block.id))
                #expect(store.leases(of: block.id) == nil)  // as if never leased
                store.close()
            }
            let store = try BlockStore(path: path, settings: settings(openedAt: t0 + 2 * day))
            defer { store.close() }
            #expect(!store.isTombstoned(block.id))
            #expect(try store.get(id: block.id) == block.bytes)
            #expect(store.stats.blocks == 1)
            #expect(store.garbage(now: UInt64.max - grace, grace: grace, honourExpiry: true) == [])
        }
    }

    @Test func tombstonesExpireAfterTwiceTheGrace() async throws {
        try await withDataPath { path in
            let store = try BlockStore(path: path, settings: settings(openedAt: t0))
            defer { store.close() }
            let id = BlockID.of([7])
            try await store.delete(id, now: t0)
            #expect(store.expireTombstones(now: t0 + 2 * grace - 1, grace: grace) == [])
            #expect(store.expireTombstones(now: t0 + 2 * grace, grace: grace) == [id])
            #expect(!store.isTombstoned(id))
        }
    }

    @Test func aDamagedLeaseEntryIsSkippedAndTheRestKept() async throws {
        try await withDataPath { path in
            let blocks: [(id: Identifier, bytes: [UInt8])]
            let segment: String
            let leaseOffset: Int
            do {
                let store = try BlockStore(path: path, settings: settings(openedAt: t0))
                blocks = try await put(store, 2)
                segment = try #require(try segmentFiles(path).last)
                leaseOffset = try fileSize(segment)
                _ = try await store.lease(try grant([blocks[0].id], at: t0), now: t0)
                _ = try await store.lease(try grant([blocks[1].id], at: t0), now: t0)
                store.close()
            }
            try flipByte(in: segment, at: leaseOffset + EntryHeader.size + 5)  // inside the renewed-at time
            let store = try BlockStore(path: path, settings: settings(openedAt: t0))
            defer { store.close() }
            #expect(store.leases(of: blocks[0].id) == nil)
            #expect(store.leases(of: blocks[1].id) != nil)
            #expect(try store.get(id: blocks[1].id) == blocks[1].bytes)
        }
    }

    /// A segment as written before leases existed (kinds 1, 2, 4 and 5, byte for byte) opens with everything in it,
    /// takes leases, and opens again with both.
    @Test func aSegmentWrittenBeforeLeasesStillReads() async throws {
        try await withDataPath { path in
            let block = randomBlock(200)
            let owner = SigningKeyPair()
            let record = try SignedRecord(signing: [4], salt: Array("head".utf8), seq: 4, with: owner)
            let entry = try InboxEntry(owner: owner.publicKey, sealed: [1, 2], posted: 5, signingWith: holder)
            let removal = try InboxRemoval(ids: [BlockID.of([3])], signingWith: owner)
            var bytes = Array("PEERSTORE-SEG-v1".utf8)
            bytes += EntryHeader(kind: .block, length: UInt32(block.bytes.count), key: block.id, payloadChecksum: nil).encoded() + block.bytes
            let recordBytes = record.encoded()
            bytes += EntryHeader(kind: .record, length: UInt32(recordBytes.count), key: record.key, payloadChecksum: nil).encoded() + recordBytes
            let entryBytes = entry.encoded()
            bytes += EntryHeader(kind: .inboxEntry, length: UInt32(entryBytes.count), key: entry.inboxKey, payloadChecksum: nil).encoded() + entryBytes
            let removalBytes = removal.encoded()
            bytes += EntryHeader(kind: .inboxRemoval, length: UInt32(removalBytes.count), key: removal.inboxKey, payloadChecksum: nil).encoded()
                + removalBytes
            try FileManager.default.createDirectory(atPath: path + "/segments", withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: path + "/segments/0000000001.seg"))
            do {
                let store = try BlockStore(path: path, settings: settings(openedAt: t0))
                #expect(store.stats.blocks == 1 && store.stats.truncatedBytesAtOpen == 0)
                #expect(try store.get(id: block.id) == block.bytes)
                #expect(store.record(for: record.key) == record)
                #expect(store.inboxState(for: owner.publicKey).sortedEntries == [entry])
                #expect(store.leaseTable == LeaseTable())
                #expect(store.garbage(now: UInt64.max - grace, grace: grace, honourExpiry: true) == [])  // never leased
                _ = try await store.lease(try grant([block.id], at: t0), now: t0)
                store.close()
            }
            let store = try BlockStore(path: path, settings: settings(openedAt: t0 + 1))
            defer { store.close() }
            #expect(try store.get(id: block.id) == block.bytes)
            #expect(store.record(for: record.key) == record)
            #expect(store.leases(of: block.id)?.leases.first?.expiry == t0 + LeaseRules.standardLength)
        }
    }

    private func expectBadLease(_ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async {
        do {
            try await body()
            Issue.record("accepted", sourceLocation: sourceLocation)
        } catch let error as BlockStoreError {
            #expect(error.code == .badLease, sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
    }
}
