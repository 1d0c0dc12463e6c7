import ChordRing
import PeerStoreCrypto
import PeerStoreModel
import Testing

@testable import PeerStoreBackup

/// The snapshot index's bytes and blocks, and the head value's two versions.
@Suite struct SnapshotIndexFormatTests {
    let keys = KeyRing(masterKey: [UInt8](repeating: 42, count: 32))

    static func id(_ n: UInt8) -> Identifier { Identifier(bytes: [UInt8](repeating: n, count: 32))! }

    static var sample: SnapshotIndex {
        var index = SnapshotIndex()
        for n in 1...4 { index.add(.init(id: id(UInt8(n)), time: Int64(n) * 100)) }
        index.forget([id(1), id(2)], at: 999)
        return index
    }

    @Test func addKeepsNewestFirstAndForgetMovesEntries() {
        var index = Self.sample
        #expect(index.retained.map(\.id) == [Self.id(4), Self.id(3)])
        #expect(index.forgotten == [.init(id: Self.id(1), time: 999), .init(id: Self.id(2), time: 999)])
        index.add(.init(id: Self.id(9), time: 250))
        index.add(.init(id: Self.id(1), time: 5000))
        #expect(index.retained.map(\.id) == [Self.id(4), Self.id(3), Self.id(9)], "by time; a forgotten id is not added again")
        index.release([Self.id(1)])
        #expect(index.forgotten.map(\.id) == [Self.id(2)] && !index.contains(Self.id(1)))
    }

    /// Version 1 as written today: forgotten first, then retained oldest first.
    @Test func pinnedBytes() throws {
        func entry(_ state: UInt8, _ n: UInt8, _ time: Int64) -> String {
            String(format: "%02x", state) + Hex.encode([UInt8](repeating: n, count: 32)) + String(format: "%016llx", time)
        }
        let hex = "01" + entry(2, 1, 999) + entry(2, 2, 999) + entry(1, 3, 300) + entry(1, 4, 400)
        #expect(Hex.encode(SnapshotIndexCodec.encode(Self.sample)) == hex)
        #expect(try SnapshotIndexCodec.decode(Hex.decode(hex)!) == Self.sample)
    }

    @Test func malformedBytesAreRefused() throws {
        let bytes = SnapshotIndexCodec.encode(Self.sample)
        for n in [0, 2, 41, 60, bytes.count - 1] {
            #expect(throws: BackupError.self) { try SnapshotIndexCodec.decode(Array(bytes.prefix(n))) }
        }
        var newer = bytes
        newer[0] = 2
        #expect(throws: BackupError.self) { try SnapshotIndexCodec.decode(newer) }
        var badState = bytes
        badState[1] = 3
        #expect(throws: BackupError.self) { try SnapshotIndexCodec.decode(badState) }
        let twice = bytes + Array(bytes[1..<42])
        #expect(throws: BackupError.self) { try SnapshotIndexCodec.decode(twice) }
    }

    /// The same index seals to the same blocks; a backup (a newer entry) changes only the last piece.
    @Test func sealedPiecesAreDeterministicAndAppendsTouchTheLastOnly() throws {
        var index = SnapshotIndex()
        let perPiece = SnapshotIndexCodec.pieceSize / SnapshotIndexCodec.entrySize
        for n in 0..<(perPiece + 10) { index.add(.init(id: BlockID.of(withUnsafeBytes(of: n) { Array($0) }), time: Int64(n))) }
        let a = try SnapshotIndexCodec.seal(index, keys: keys), b = try SnapshotIndexCodec.seal(index, keys: keys)
        #expect(a.count == 2 && a.map(\.id) == b.map(\.id))
        #expect(a.allSatisfy { BlockID.of($0.bytes) == $0.id && $0.bytes[1] == SealedObject.Kind.snapshotIndex.rawValue })
        #expect(try SnapshotIndexCodec.open(a.map(\.bytes), keys: keys) == index)
        index.add(.init(id: Self.id(7), time: 1 << 40))
        let c = try SnapshotIndexCodec.seal(index, keys: keys)
        #expect(c[0].id == a[0].id && c[1].id != a[1].id)
        let other = KeyRing(masterKey: [UInt8](repeating: 1, count: 32))
        #expect(throws: BackupError.self) { try SnapshotIndexCodec.open(a.map(\.bytes), keys: other) }
    }

    /// Version 2 names the index; version 1 (as older builds sealed it: 40 bytes, no version byte) still opens.
    @Test func headValueVersions() throws {
        let v2 = HeadPointer(snapshot: Self.id(5), time: 77, index: [Self.id(6), Self.id(7)])
        #expect(try HeadPointer.open(try v2.sealedValue(keys: keys), keys: keys) == v2)
        #expect(Hex.encode(v2.encoded()) == "02" + Hex.encode([UInt8](repeating: 5, count: 32)) + "000000000000004d" + "02"
            + Hex.encode([UInt8](repeating: 6, count: 32)) + Hex.encode([UInt8](repeating: 7, count: 32)))
        let v1Plain = [UInt8](repeating: 5, count: 32) + [0, 0, 0, 0, 0, 0, 0, 77]
        let v1 = try SealedObject.seal(v1Plain, kind: .head, key: keys.headValue, nonce: [UInt8](repeating: 3, count: 24))
        #expect(try HeadPointer.open(v1, keys: keys) == HeadPointer(snapshot: Self.id(5), time: 77, index: nil))
        for bad in [[UInt8]([3]) + Array(v2.encoded().dropFirst()), Array(v2.encoded().dropLast()), [2] + v1Plain + [0]] {
            #expect(throws: BackupError.self) { try HeadPointer.decode(bad) }
        }
    }
}
