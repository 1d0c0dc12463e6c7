import BlockStore
import ChordRing
import Foundation
import PeerStoreCrypto
import PeerStoreModel

/// What a store holds, compared before and after compaction and reopening.
struct StoreContents: Equatable {
    var blocks: [Identifier: [UInt8]] = [:]
    var records: [Identifier: SignedRecord] = [:]
    var tombstones: Set<Identifier> = []
    var leases: [Identifier: BlockLeases] = [:]

    init(_ store: BlockStore) throws {
        for id in store.blockIDs() { blocks[id] = try store.get(id: id) }
        for record in store.allRecords() { records[record.key] = record }
        let table = store.leaseTable
        tombstones = Set(table.tombstones.keys)
        leases = table.blocks
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

    /// Fills the store, leases every block, deletes three in four of them and updates the record; returns the blocks.
    func fill(_ store: BlockStore, count: Int = 40, updates: UInt64 = 12) async throws -> [(id: Identifier, bytes: [UInt8])] {
        let blocks = (0..<count).map { randomBlock(380 + $0) }
        for (i, block) in blocks.enumerated() {
            try await store.put(id: block.id, bytes: block.bytes)
            if UInt64(i) < updates { try await store.put(record: try signedRecord(owner, seq: UInt64(i + 1), value: [UInt8(i)])) }
        }
        let grant = try LeaseGrant(ids: blocks.map(\.id), issuedAt: Self.t0, expiry: Self.t0 + LeaseRules.standardLength,
                                   signingWith: holder)
        _ = try await store.lease(grant, now: Self.t0)
        for (i, block) in blocks.enumerated() where i % 4 != 0 { try await store.delete(block.id, now: Self.t0 + 10) }
        return blocks
    }
}
