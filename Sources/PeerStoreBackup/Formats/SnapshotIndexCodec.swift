import ChordRing
import NIOCore
import PeerStoreCrypto
import PeerStoreModel

/// A snapshot index as bytes, and as the sealed blocks a head names.
///
/// Plaintext (version 1): `version u8 = 1 | entries`, each `state u8 (1 retained, 2 forgotten) | id 32 | time ns i64`
/// (a retained snapshot's time; a forgotten one's forgotten-at), the forgotten ones first (oldest forgotten first),
/// then the retained ones oldest first, so a backup (which adds the newest) changes only the last piece. Cut
/// (`cuts`) into whole pieces of `mergedPieceSize` from the start and the rest into pieces of `pieceSize`, so a backup
/// rewrites at most `pieceSize` bytes (and once every `mergedPieceSize` bytes of history, the small pieces become one
/// merged piece) while a head still names few pieces. Each piece is sealed (kind 10) under the snapshot-index key with a
/// nonce derived from the piece (keyed BLAKE2b), so an unchanged index, or an unchanged piece, is the same block.
/// Opening does not depend on where pieces were cut (older builds cut every 256 KiB).
public enum SnapshotIndexCodec {
    public static let version: UInt8 = 1
    public static let entrySize = 41
    /// The most a backup rewrites: the size of the pieces after the merged ones.
    public static let pieceSize = 16 << 10
    /// Pieces from the start of the index are this size (16 small pieces; older builds cut every piece at it).
    public static let mergedPieceSize = 256 << 10
    /// A head names at most this many pieces.
    public static let maxPieces = 64
    /// The most entries an index may have to be written: its pieces, merged and small, then never exceed `maxPieces`
    /// (at most `mergedPieceSize / pieceSize` small pieces follow the merged ones).
    public static let maxEntries = ((maxPieces - mergedPieceSize / pieceSize + 1) * mergedPieceSize - 1) / entrySize
    /// The most entries an index read from the ring may have (what older builds could write).
    static let maxEntriesRead = maxPieces * mergedPieceSize / entrySize
    static let what = "snapshot index"

    public static func encode(_ index: SnapshotIndex) -> [UInt8] {
        var out = ByteBuffer()
        out.writeInteger(version)
        func write(_ entries: [SnapshotIndex.Entry], state: UInt8) {
            for e in entries {
                out.writeInteger(state)
                out.writeBytes(e.id.bytes)
                out.writeInteger(e.time)
            }
        }
        write(index.forgotten, state: 2)
        write(index.retained.reversed(), state: 1)
        return Array(out.readableBytesView)
    }

    public static func decode(_ bytes: [UInt8]) throws -> SnapshotIndex {
        var p = ByteBuffer(bytes: bytes)
        guard let v = p.readInteger(as: UInt8.self) else { throw BackupError.badFormat(what, "empty") }
        guard v == version else { throw BackupError.badFormat(what, "unknown format version \(v); a newer client wrote it: update peerstore-client") }
        guard p.readableBytes % entrySize == 0, p.readableBytes / entrySize <= maxEntriesRead else {
            throw BackupError.badFormat(what, "bad length")
        }
        var retained: [SnapshotIndex.Entry] = [], forgotten: [SnapshotIndex.Entry] = []
        var seen = Set<Identifier>()
        while p.readableBytes > 0 {
            let state = p.readInteger(as: UInt8.self)!
            let id = Identifier(bytes: p.readBytes(length: 32)!)!
            let time = p.readInteger(as: Int64.self)!
            guard seen.insert(id).inserted else { throw BackupError.badFormat(what, "a snapshot listed twice") }
            switch state {
            case 1: retained.append(.init(id: id, time: time))
            case 2: forgotten.append(.init(id: id, time: time))
            default: throw BackupError.badFormat(what, "bad entry state \(state)")
            }
        }
        return SnapshotIndex(retained: retained, forgotten: forgotten)
    }

    /// The index's sealed pieces, as blocks: (id, bytes) each; a clear error past `maxEntries`.
    public static func seal(_ index: SnapshotIndex, keys: KeyRing) throws -> [(id: Identifier, bytes: [UInt8])] {
        guard index.retained.count + index.forgotten.count <= maxEntries else {
            throw BackupError(.usage, "this device's history holds more than \(maxEntries) snapshots: run `peerstore-client -operation forget` with a policy to drop old ones")
        }
        let plain = encode(index)
        return try SealedPieces.seal(plain, cuts: cuts(plain.count), kind: .snapshotIndex, key: keys.snapshotIndex,
                                     nonceKey: keys.snapshotIndexNonce)
    }

    /// Where a plaintext of `count` bytes is cut: whole `mergedPieceSize` pieces from the start, then `pieceSize` ones.
    static func cuts(_ count: Int) -> [Range<Int>] {
        let merged = count / mergedPieceSize * mergedPieceSize
        return stride(from: 0, to: merged, by: mergedPieceSize).map { $0..<($0 + mergedPieceSize) }
            + stride(from: merged, to: count, by: pieceSize).map { $0..<min($0 + pieceSize, count) }
    }

    public static func open(_ pieces: [[UInt8]], keys: KeyRing) throws -> SnapshotIndex {
        try decode(try SealedPieces.open(pieces, kind: .snapshotIndex, key: keys.snapshotIndex, what: what))
    }
}
