import ChordRing
import NIOCore
import PeerStoreCrypto
import PeerStoreModel

/// A folder state as bytes, and as the sealed blocks a sync head names.
///
/// Plaintext (version 1): `version u8 = 1 | count u32 | records`, in path order, each
/// `components u16 (1...1024) | names (short bytes) | deleted u8 | modified-by 16 | devices u16 | (device 16 |
/// counter u64)* | kind u8 | mode u32 | mtime i64 + u32 ns | size u64 | content` (content as in a tree entry: tag 0
/// nothing, 1 inline refs, 2 manifest, 4 link target). The plaintext is cut into pieces of at most `pieceSize`, each
/// sealed under the sync-state key with a nonce derived from it (keyed BLAKE2b), so a round that changed nothing
/// stores no new block.
public enum FolderStateCodec {
    public static let version: UInt8 = 1
    public static let maxRecords = 1 << 22
    public static let pieceSize = 4 << 20
    static let what = "sync folder state"

    public static func encode(_ state: FolderState) -> [UInt8] {
        var out = ByteBuffer()
        out.writeInteger(version)
        out.writeInteger(UInt32(state.records.count))
        for (path, record) in state.records.sorted(by: { $0.key < $1.key }) {
            let names = path.joined.split(separator: 0, omittingEmptySubsequences: false)
            out.writeInteger(UInt16(names.count))
            for name in names {
                out.writeInteger(UInt16(name.count))
                out.writeBytes(name)
            }
            out.writeInteger(UInt8(record.deleted ? 1 : 0))
            out.writeBytes(record.modifiedBy)
            let devices = record.version.sortedDevices
            out.writeInteger(UInt16(devices.count))
            for device in devices {
                out.writeBytes(device)
                out.writeInteger(record.version[device])
            }
            let meta = record.meta
            out.writeInteger(meta.kind.rawValue)
            out.writeInteger(meta.mode)
            out.writeInteger(meta.mtime.seconds)
            out.writeInteger(meta.mtime.nanoseconds)
            out.writeInteger(meta.size)
            meta.content.encode(into: &out)
        }
        return Array(out.readableBytesView)
    }

    public static func decode(_ bytes: [UInt8]) throws -> FolderState {
        var p = ByteBuffer(bytes: bytes)
        guard let v = p.readInteger(as: UInt8.self) else { throw BackupError.badFormat(what, "empty") }
        guard v == version else { throw BackupError.badFormat(what, "unknown format version \(v); a newer client wrote it") }
        guard let count = p.readInteger(as: UInt32.self), Int(count) <= maxRecords, Int(count) <= p.readableBytes / 40 + 1 else {
            throw BackupError.badFormat(what, "bad record count")
        }
        var state = FolderState()
        state.records.reserveCapacity(Int(count))
        for _ in 0..<count {
            let (path, record) = try decodeRecord(&p)
            state[path] = record
        }
        guard p.readableBytes == 0 else { throw BackupError.badFormat(what, "trailing bytes") }
        guard state.records.count == Int(count) else { throw BackupError.badFormat(what, "a path twice") }
        return state
    }

    static func decodeRecord(_ p: inout ByteBuffer) throws -> (SyncPath, FileRecord) {
        guard let depth = p.readInteger(as: UInt16.self), depth >= 1, Int(depth) <= TreeEntry.maxLinkComponents else {
            throw BackupError.badFormat(what, "bad path length")
        }
        let names = try (0..<depth).map { _ in FileName(bytes: try p.readShortBytes(max: TreeEntry.maxNameLength, what: what)) }
        guard names.allSatisfy(\.isSafe) else { throw BackupError.badFormat(what, "unsafe name") }
        guard let deleted = p.readInteger(as: UInt8.self), deleted <= 1, let by = p.readBytes(length: 16),
            let devices = p.readInteger(as: UInt16.self), Int(devices) <= VersionVector.maxDevices
        else { throw BackupError.badFormat(what, "truncated record") }
        var counters: [[UInt8]: UInt64] = [:]
        for _ in 0..<devices {
            guard let device = p.readBytes(length: 16), let counter = p.readInteger(as: UInt64.self) else {
                throw BackupError.badFormat(what, "truncated version vector")
            }
            counters[device] = counter
        }
        guard let rawKind = p.readInteger(as: UInt8.self), let kind = TreeEntry.Kind(rawValue: rawKind),
            let mode = p.readInteger(as: UInt32.self), let sec = p.readInteger(as: Int64.self),
            let nsec = p.readInteger(as: UInt32.self), nsec < 1_000_000_000, let size = p.readInteger(as: UInt64.self),
            let tag = p.readInteger(as: UInt8.self)
        else { throw BackupError.badFormat(what, "truncated record") }
        let content: TreeEntry.Content
        switch (kind, tag) {
        case (.file, _): content = try TreeEntry.Content.decodeFile(tag: tag, size: size, from: &p, what: what)
        case (.symlink, 4): content = .linkTarget(LocalPath(bytes: try p.readShortBytes(max: TreeEntry.maxLinkLength, what: what)))
        case (.directory, 0): content = .none
        default: throw BackupError.badFormat(what, "content does not fit the record's kind")
        }
        let meta = FileMeta(kind: kind, content: content, size: size, mode: mode, mtime: Timestamp(seconds: sec, nanoseconds: nsec))
        return (SyncPath(names), FileRecord(meta: meta, deleted: deleted == 1, version: VersionVector(counters), modifiedBy: by))
    }

    /// The state's sealed pieces, as blocks: (id, bytes) each.
    public static func seal(_ state: FolderState, keys: KeyRing) throws -> [(id: Identifier, bytes: [UInt8])] {
        let plain = encode(state)
        guard plain.count <= SyncHead.maxPieces * pieceSize else {
            throw BackupError(.localPath, "the folder has too many files to sync (its state exceeds \(SyncHead.maxPieces * pieceSize >> 20) MiB): sync a smaller folder")
        }
        let cuts = stride(from: 0, to: plain.count, by: pieceSize).map { $0..<min($0 + pieceSize, plain.count) }
        return try SealedPieces.seal(plain, cuts: cuts, kind: .syncState, key: keys.syncState, nonceKey: keys.syncStateNonce)
    }

    public static func open(_ pieces: [[UInt8]], keys: KeyRing) throws -> FolderState {
        try decode(try SealedPieces.open(pieces, kind: .syncState, key: keys.syncState, what: what))
    }
}
