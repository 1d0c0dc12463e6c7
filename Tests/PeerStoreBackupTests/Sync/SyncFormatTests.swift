import ChordRing
import PeerStoreCrypto
import Testing

@testable import PeerStoreBackup

@Suite struct SyncFormatTests {
    static let dev = [UInt8](repeating: 0xd1, count: 16)
    static let other = [UInt8](repeating: 0xd2, count: 16)

    static func sampleState() -> FolderState {
        let t = Timestamp(seconds: 1_700_000_000, nanoseconds: 5)
        var state = FolderState()
        state[SyncPath("a/b.txt")] = FileRecord(
            meta: FileMeta(kind: .file, content: .inline([sampleRef(1)]), size: 1001, mode: 0o644, mtime: t),
            version: VersionVector([dev: 2, other: 1]), modifiedBy: dev)
        state[SyncPath("a")] = FileRecord(meta: FileMeta(kind: .directory, content: .none, size: 0, mode: 0o755, mtime: t),
                                          version: VersionVector([dev: 1]), modifiedBy: dev)
        state[SyncPath("l")] = FileRecord(meta: FileMeta(kind: .symlink, content: .linkTarget("a/b.txt"), size: 7, mode: 0o777, mtime: t),
                                          version: VersionVector([other: 3]), modifiedBy: other)
        state[SyncPath([FileName(bytes: [0xff, 0x41])])] = FileRecord(
            meta: FileMeta(kind: .file, content: .none, size: 0, mode: 0o600, mtime: t), deleted: true,
            version: VersionVector([other: 4]), modifiedBy: other)
        return state
    }

    @Test func folderStateRoundTrips() throws {
        let state = Self.sampleState()
        #expect(try FolderStateCodec.decode(FolderStateCodec.encode(state)) == state)
        let keys = KeyRing(masterKey: [UInt8](repeating: 7, count: 32))
        let pieces = try FolderStateCodec.seal(state, keys: keys)
        #expect(pieces.count == 1)
        #expect(try FolderStateCodec.seal(state, keys: keys).map(\.id) == pieces.map(\.id), "an unchanged state is the same block")
        #expect(try FolderStateCodec.open(pieces.map(\.bytes), keys: keys) == state)
        #expect(throws: BackupError.self) { try FolderStateCodec.open(pieces.map(\.bytes), keys: KeyRing(masterKey: [UInt8](repeating: 8, count: 32))) }
    }

    /// The bytes of version 1, pinned: a change of the format must come with a new version (and keep reading this).
    @Test func folderStateBytesArePinned() throws {
        var state = FolderState()
        state[SyncPath("x")] = FileRecord(
            meta: FileMeta(kind: .file, content: .none, size: 0, mode: 0o644, mtime: Timestamp(seconds: 2, nanoseconds: 3)),
            version: VersionVector([Self.dev: 1]), modifiedBy: Self.dev)
        let hex = Hex.encode(FolderStateCodec.encode(state))
        #expect(hex == "01" + "00000001" + "0001" + "0001" + "78" + "00" + String(repeating: "d1", count: 16) + "0001"
            + String(repeating: "d1", count: 16) + "0000000000000001" + "01" + "000001a4" + "0000000000000002" + "00000003"
            + "0000000000000000" + "00")
        #expect(try FolderStateCodec.decode(FolderStateCodec.encode(state)) == state)
    }

    @Test func syncHeadBytesArePinnedAndBounded() throws {
        let head = SyncHead(snapshot: Identifier(bytes: [UInt8](repeating: 0xab, count: 32))!, time: 9,
                            pieces: [Identifier(bytes: [UInt8](repeating: 0xcd, count: 32))!])
        #expect(Hex.encode(head.encoded()) == "01" + String(repeating: "ab", count: 32) + "0000000000000009" + "01" + String(repeating: "cd", count: 32))
        #expect(try SyncHead.decode(head.encoded()) == head)
        let keys = KeyRing(masterKey: [UInt8](repeating: 7, count: 32))
        #expect(try SyncHead.open(head.sealedValue(keys: keys), keys: keys) == head)
        var newer = head.encoded()
        newer[0] = 2
        #expect(throws: BackupError.self) { try SyncHead.decode(newer) }
        var none = head.encoded()
        none[41] = 0
        #expect(throws: BackupError.self) { try SyncHead.decode(Array(none.prefix(42))) }
        #expect(throws: BackupError.self) { try SyncHead.decode(Array(head.encoded().dropLast())) }
        // Salts differ per folder and per device, and say nothing readable.
        let s1 = SyncHead.salt(folder: "docs", device: Self.dev, keys: keys)
        #expect(s1 != SyncHead.salt(folder: "docs", device: Self.other, keys: keys))
        #expect(s1 != SyncHead.salt(folder: "doc", device: Self.dev, keys: keys))
        #expect(s1.count == 32)
    }

    @Test func decoderRefusesBadInput() {
        let good = FolderStateCodec.encode(Self.sampleState())
        for cut in [0, 1, 5, 20, good.count - 1] {
            #expect(throws: BackupError.self) { try FolderStateCodec.decode(Array(good.prefix(cut))) }
        }
        var newer = good
        newer[0] = 9
        #expect(throws: BackupError.self) { try FolderStateCodec.decode(newer) }
        var huge = good
        huge[1] = 0xff
        #expect(throws: BackupError.self) { try FolderStateCodec.decode(huge) }
        #expect(throws: BackupError.self) { try FolderStateCodec.decode(good + [0]) }
        // A directory with a file's content, a path component "..".
        var state = FolderState()
        state[SyncPath("..")] = Self.sampleState()[SyncPath("a")]
        #expect(throws: BackupError.self) { try FolderStateCodec.decode(FolderStateCodec.encode(state)) }
    }
}

