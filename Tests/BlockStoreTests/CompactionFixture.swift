import BlockStore
import ChordRing
import Foundation
import PeerStoreCrypto
import PeerStoreModel
import Testing

/// What a store holds, compared before and after compaction and reopening.
struct StoreContents: Equatable {
    var blocks: [Identifier: [UInt8]] = [:]
    var records: [Identifier: SignedRecord] = [:]
    var tombstones: Set<Identifier> = []
    var leases: [Identifier: BlockLeases] = [:]
    var inboxes: [InboxState] = []

    init(_ store: BlockStore) throws {
        for id in store.blockIDs() { blocks[id] = try store.get(id: id) }
        for record in store.allRecords() { records[record.key] = record }
        let table = store.leaseTable
        tombstones = Set(table.tombstones.keys)
        leases = table.blocks
        inboxes = store.allInboxes().sorted { $0.owner.lexicographicallyPrecedes($1.owner) }
    }
}

/// Bytes of every segment file of a data path (compaction temp files included).
func segmentBytes(_ dataPath: String) throws -> Int {
    try FileManager.default.contentsOfDirectory(atPath: dataPath + "/segments")
        .reduce(0) { $0 + (try fileSize(dataPath + "/segments/" + $1)) }
}

/// Copies a data path as a crash would leave it (everything synced so far), without its lock.
func crashImage(of dataPath: String, to copy: String) throws {
    try FileManager.default.createDirectory(atPath: copy + "/segments", withIntermediateDirectories: true)
    for name in try FileManager.default.contentsOfDirectory(atPath: dataPath + "/segments") {
        try FileManager.default.copyItem(atPath: dataPath + "/segments/" + name, toPath: copy + "/segments/" + name)
    }
}

/// A store of small segments holding `count` blocks of about 400 bytes and a record updated `updates` times; the
/// settings are fixed so that reopening sees the same clock.
struct CompactionScenario {
    static let t0: UInt64 = 1_800_000_000
    static var settings: BlockStoreSettings {
        var settings = smallSegments(4096)
        settings.wallClock = { t0 }
        return settings
    }

    let holder = SigningKeyPair()
    let owner = SigningKeyPair()

    /// Fills the store in groups of four blocks: each group is leased, three of its blocks deleted, an inbox entry
    /// posted (and the one before removed), every other group's kept block released; the record is updated with each
    /// of the first `updates` blocks. So every segment holds blocks, records and the small entries. Returns the blocks.
    func fill(_ store: BlockStore, count: Int = 40, updates: UInt64 = 12) async throws -> [(id: Identifier, bytes: [UInt8])] {
        let blocks = (0..<count).map { randomBlock(380 + $0) }
        var posted: [InboxEntry] = []
        for group in stride(from: 0, to: count, by: 4) {
            let ids = blocks[group..<min(count, group + 4)].map(\.id)
            for (i, block) in blocks.enumerated() where i >= group && i < group + 4 {
                try await store.put(id: block.id, bytes: block.bytes)
                if UInt64(i) < updates { try await store.put(record: try signedRecord(owner, seq: UInt64(i + 1), value: [UInt8(i)])) }
            }
            let grant = try LeaseGrant(ids: ids, issuedAt: Self.t0, expiry: Self.t0 + LeaseRules.standardLength, signingWith: holder)
            _ = try await store.lease(grant, now: Self.t0)
            for id in ids.dropFirst() { try await store.delete(id, now: Self.t0 + 10) }
            if group % 8 == 0 {
                let release = try LeaseRelease(ids: [ids[0]], horizon: Self.t0 + 2 * 86400, signingWith: holder)
                #expect(try await store.release(release, now: Self.t0 + 2 * 86400) == (1, [false]))
            }
            let entry = try InboxEntry(owner: owner.publicKey, sealed: Array("sealed \(group)".utf8), posted: UInt64(group),
                                       signingWith: holder)
            try await store.post(entry)
            if let last = posted.last { try await store.remove(try InboxRemoval(ids: [last.id], signingWith: owner)) }
            posted.append(entry)
        }
        return blocks
    }
}
