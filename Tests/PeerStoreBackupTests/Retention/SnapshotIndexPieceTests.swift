import ChordRing
import Foundation
import PeerStoreCrypto
import PeerStoreModel
import Testing

@testable import PeerStoreBackup

/// Where the snapshot index is cut: a backup rewrites one small piece, a head never names more than `maxPieces`, and
/// an index cut as older builds cut it (every 256 KiB) still opens and takes the next backup.
@Suite struct SnapshotIndexPieceTests {
    let keys = KeyRing(masterKey: [UInt8](repeating: 42, count: 32))

    /// An index of `count` retained snapshots with made-up ids, at times 1, 2, ...
    static func index(_ count: Int, salt: Int = 0) -> SnapshotIndex {
        SnapshotIndex(retained: (0..<count).map { n in
            .init(id: BlockID.of(withUnsafeBytes(of: (n, salt)) { Array($0) }), time: Int64(n + 1))
        })
    }

    /// Sealed as builds before 16 KiB pieces sealed it: cut every 256 KiB.
    static func sealedTheOldWay(_ index: SnapshotIndex, keys: KeyRing) throws -> [(id: Identifier, bytes: [UInt8])] {
        let plain = SnapshotIndexCodec.encode(index)
        return try stride(from: 0, to: plain.count, by: 256 << 10).map { start in
            let piece = Array(plain[start..<min(start + (256 << 10), plain.count)])
            let nonce = Blake2b.hash(piece, outputLength: XChaCha20Poly1305.nonceLength, key: keys.snapshotIndexNonce)
            let sealed = try SealedObject.seal(piece, kind: .snapshotIndex, key: keys.snapshotIndex, nonce: nonce)
            return (BlockID.of(sealed), sealed)
        }
    }

    @Test func aBackupRewritesOneSmallPiece() throws {
        // 7000 entries: 287 KB, more than one merged piece.
        var index = Self.index(7000)
        let before = try SnapshotIndexCodec.seal(index, keys: keys)
        index.add(.init(id: BlockID.of([1, 2, 3]), time: 1 << 40))
        let after = try SnapshotIndexCodec.seal(index, keys: keys)
        #expect(after.count == before.count && Array(after.dropLast().map(\.id)) == Array(before.dropLast().map(\.id)))
        #expect(after.last!.id != before.last!.id)
        #expect(after.last!.bytes.count <= (16 << 10) + 64, "a backup writes at most one 16 KiB piece")
        #expect(try SnapshotIndexCodec.open(after.map(\.bytes), keys: keys) == index)
    }

    @Test func cutsCoverThePlaintextWithinTheHeadLimit() {
        let (small, merged) = (SnapshotIndexCodec.pieceSize, SnapshotIndexCodec.mergedPieceSize)
        let largest = 1 + SnapshotIndexCodec.entrySize * SnapshotIndexCodec.maxEntries
        for count in [1, small - 1, small, small + 1, merged - 1, merged, merged + 1, 3 * merged + 5 * small + 7, largest] {
            let cuts = SnapshotIndexCodec.cuts(count)
            #expect(cuts.first?.lowerBound == 0 && cuts.last?.upperBound == count, "\(count)")
            #expect(zip(cuts, cuts.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound }, "\(count)")
            #expect(cuts.allSatisfy { $0.count == merged || $0.count <= small }, "\(count)")
            #expect(cuts.count <= SnapshotIndexCodec.maxPieces, "\(count)")
        }
        #expect(SnapshotIndexCodec.cuts(merged + 1).map(\.count) == [merged, 1], "a full run of small pieces becomes one")
        #expect(SnapshotIndexCodec.cuts(merged - 1).count == merged / small)
        #expect(SnapshotIndexCodec.maxEntries > 300_000)
    }

    /// An index cut every 256 KiB (as written before) opens; the next backup writes it cut the new way, its first
    /// (whole) piece the same block.
    @Test func anIndexCutTheOldWayStillOpensAndTakesABackup() async throws {
        let c = try InMemoryClient(prefix: "index-old-cut")
        defer { c.tmp.remove() }
        let first = try await ForgetInMemoryTests.backups(c, 0..<1)[0]
        let catalog = c.catalog()
        let current = try #require(try await catalog.head(device: c.device))
        var old = Self.index(7000, salt: 1)
        old.add(.init(id: first, time: current.pointer.time))
        let pieces = try Self.sealedTheOldWay(old, keys: c.identity.keys)
        #expect(pieces.count == 2 && pieces[1].bytes.count > (16 << 10) + 64)
        #expect(try SnapshotIndexCodec.open(pieces.map(\.bytes), keys: c.identity.keys) == old)
        for piece in pieces { _ = try await c.ring.putBlock(id: piece.id, bytes: piece.bytes) }
        #expect(try await catalog.publish(device: c.device, snapshot: first, time: current.pointer.time, index: old,
                                          previous: current.record))
        // publish cut it the new way; put the old cut back, as an older build left it.
        let now = try #require(try await catalog.head(device: c.device))
        let value = try HeadPointer(snapshot: first, time: current.pointer.time, index: pieces.map(\.id)).sealedValue(keys: c.identity.keys)
        let record = try SignedRecord(signing: value, salt: HeadPointer.salt(device: c.device, keys: c.identity.keys),
                                      seq: now.record.seq + 1, with: c.identity.signing)
        try await c.ring.putRecord(record, expectedSeq: now.record.seq)
        let oldHead = try #require(try await catalog.head(device: c.device))
        #expect(oldHead.pointer.index == pieces.map(\.id))
        #expect(try await catalog.index(of: oldHead.pointer) == old)

        let next = try await ForgetInMemoryTests.backups(c, 1..<2)[0]
        let head = try #require(try await catalog.head(device: c.device))
        var expected = old
        expected.add(.init(id: next, time: head.pointer.time))
        #expect(try await catalog.index(of: head.pointer) == expected)
        #expect(head.pointer.index?.first == pieces[0].id && head.pointer.index?.count == 3, "one merged piece, two small")
    }
}
