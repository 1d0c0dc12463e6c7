import BlockStore
import ChordRing
import Foundation
import PeerStoreModel
import Testing

/// The scrubber's reads of a store on disk: damaged blocks and records are found, counted and dropped; intact ones
/// are kept; the drops last across a restart, and a good copy put afterwards is kept.
@Suite struct ScrubTests {
    func scrubAll(_ store: BlockStore) throws -> [ScrubTarget.Kind: [ScrubFinding]] {
        var plan = ScrubPlan(store.scrubTargets())
        var found: [ScrubTarget.Kind: [ScrubFinding]] = [:]
        while !plan.isDone {
            for target in plan.next() { found[target.kind, default: []].append(try store.scrub(target)) }
        }
        return found
    }

    func count(_ findings: [ScrubFinding]?, _ match: (ScrubFinding) -> Bool) -> Int { (findings ?? []).filter(match).count }
    func isIntact(_ f: ScrubFinding) -> Bool { if case .intact = f { true } else { false } }
    func segmentPath(_ path: String, _ number: Int) -> String { path + "/segments/" + String(format: "%010d.seg", number) }

    /// Damage in sealed segments: start-up does not re-hash their blocks (the scrubber finds the damaged one), and
    /// checks their records' signatures (the damaged record is skipped at open, not served, and replaced later).
    @Test func damagedBlockAndRecordInSealedSegmentsAreFoundDroppedAndStayDropped() async throws {
        try await withDataPath { path in
            let keys = try recordOwner()
            let blocks = (0..<4).map { randomBlock(600 + $0) }  // one a segment
            let intactRecord = try signedRecord(keys, salt: Array("a".utf8), seq: 1, value: Array("kept".utf8))
            let damagedRecord = try signedRecord(keys, salt: Array("b".utf8), seq: 4, value: Array("rotten value".utf8))
            let settings = smallSegments(1024)
            do {
                let store = try BlockStore(path: path, settings: settings)
                for block in blocks { try await store.put(id: block.id, bytes: block.bytes) }
                try await store.put(record: intactRecord)
                try await store.put(record: damagedRecord)
                let extra = randomBlock(900)  // a new segment: the records' one is sealed
                try await store.put(id: extra.id, bytes: extra.bytes)
                let targets = store.scrubTargets()
                let victim = try #require(targets.first { $0.key == blocks[1].id })
                let record = try #require(targets.first { $0.key == damagedRecord.key })
                #expect(victim.segment < store.currentSegment && record.segment < store.currentSegment)
                try flipByte(in: segmentPath(path, victim.segment), at: victim.offset + 300, mask: 0x04)
                try flipByte(in: segmentPath(path, record.segment), at: record.offset + record.length - 20, mask: 0x20)
                store.close()
            }
            let store = try BlockStore(path: path, settings: settings)
            #expect(store.damagedEntriesAtOpen == 1, "the record whose signature fails")
            #expect(store.contains(blocks[1].id) && store.record(for: damagedRecord.key) == nil)
            let found = try scrubAll(store)
            #expect(count(found[.block], isIntact) == 4)
            #expect(found[.block]?.contains(.damaged(bytes: 601, dropped: true)) == true)
            #expect(found[.record] == [.intact(bytes: intactRecord.encoded().count)])
            #expect(!store.contains(blocks[1].id))
            #expect(store.record(for: damagedRecord.key) == nil)
            #expect(store.record(for: intactRecord.key) == intactRecord)
            for (i, block) in blocks.enumerated() where i != 1 { #expect(try store.get(id: block.id) == block.bytes) }
            #expect(try scrubAll(store).values.joined().allSatisfy(isIntact))  // a second pass finds nothing more
            store.close()

            // After a restart both stay dropped; good copies from a replica are kept, and stay after another restart.
            do {
                let store = try BlockStore(path: path, settings: settings)
                #expect(!store.contains(blocks[1].id))
                #expect(store.record(for: damagedRecord.key) == nil)
                #expect(store.record(for: intactRecord.key) == intactRecord)
                #expect(try await store.put(id: blocks[1].id, bytes: blocks[1].bytes) == .stored)
                #expect(try await store.put(record: damagedRecord) == .stored)
                store.close()
            }
            let back = try BlockStore(path: path, settings: settings)
            defer { back.close() }
            #expect(try back.get(id: blocks[1].id) == blocks[1].bytes)
            #expect(back.record(for: damagedRecord.key) == damagedRecord)
            #expect(try scrubAll(back).values.joined().allSatisfy(isIntact))
        }
    }

    /// Damage while the store is open (the in-memory record is still good; the copy on disk is not).
    @Test func damageWhileOpenIsFoundByTheNextPass() async throws {
        try await withDataPath { path in
            let keys = try recordOwner()
            let store = try BlockStore(path: path)
            defer { store.close() }
            let blocks = (0..<3).map { randomBlock(500 + $0) }
            for block in blocks { try await store.put(id: block.id, bytes: block.bytes) }
            let record = try signedRecord(keys, seq: 2, value: Array("value".utf8))
            try await store.put(record: record)
            #expect(try scrubAll(store).values.joined().allSatisfy(isIntact))
            let segment = try #require(try segmentFiles(path).last)
            let targets = store.scrubTargets()
            for key in [blocks[2].id, record.key] {
                let target = try #require(targets.first { $0.key == key })
                try flipByte(in: segment, at: target.offset + target.length / 2, mask: 0x80)
            }
            let found = try scrubAll(store)
            #expect(found[.block] == [.intact(bytes: 500), .intact(bytes: 501), .damaged(bytes: 502, dropped: true)])
            #expect(found[.record] == [.damaged(bytes: record.encoded().count, dropped: true)])
            #expect(store.contains([blocks[0].id, blocks[1].id, blocks[2].id]) == [true, true, false])
            #expect(store.record(for: record.key) == nil)
            #expect(store.stats.blockBytes == 1001)
        }
    }

    /// Damage in the newest segment is found by start-up, which skips it; the count is reported.
    @Test func damageInTheNewestSegmentIsCountedAtOpen() async throws {
        try await withDataPath { path in
            let keys = try recordOwner()
            let blocks = (0..<2).map { randomBlock(700 + $0) }
            let record = try signedRecord(keys, seq: 1, value: Array("v".utf8))
            do {
                let store = try BlockStore(path: path)
                for block in blocks { try await store.put(id: block.id, bytes: block.bytes) }
                try await store.put(record: record)
                let segment = try #require(try segmentFiles(path).last)
                for target in store.scrubTargets() where target.key != blocks[0].id {
                    try flipByte(in: segment, at: target.offset + 1, mask: 0x01)
                }
                store.close()
            }
            let store = try BlockStore(path: path)
            defer { store.close() }
            #expect(store.damagedEntriesAtOpen == 2)
            #expect(store.scrubTargets().map(\.key) == [blocks[0].id])
        }
    }

    @Test func aTargetGoneSincePlanningIsAbsent() async throws {
        try await withDataPath { path in
            let store = try BlockStore(path: path)
            defer { store.close() }
            let block = randomBlock(400)
            try await store.put(id: block.id, bytes: block.bytes)
            let target = try #require(store.scrubTargets().first)
            #expect(try store.scrub(target) == .intact(bytes: 400))
            try await store.delete(block.id, now: 1_800_000_000)
            #expect(try store.scrub(target) == .absent)
        }
    }

    @Test func aClosedStoreRefusesToScrub() async throws {
        try await withDataPath { path in
            let store = try BlockStore(path: path)
            let block = randomBlock(400)
            try await store.put(id: block.id, bytes: block.bytes)
            let target = try #require(store.scrubTargets().first)
            store.close()
            let error = #expect(throws: BlockStoreError.self) { try store.scrub(target) }
            #expect(error?.code == .closed)
        }
    }
}
