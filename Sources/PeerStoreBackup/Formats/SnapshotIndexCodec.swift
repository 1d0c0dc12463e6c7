import ChordRing
import NIOCore
import PeerStoreCrypto
import PeerStoreModel

/// A snapshot index as bytes, and as the sealed blocks a head names.
///
/// Plaintext (version 1): `version u8 = 1 | entries`, each `state u8 (1 retained, 2 forgotten) | id 32 | time ns i64`
/// (a retained snapshot's time; a forgotten one's forgotten-at), the forgotten ones first (oldest forgotten first),
/// then the retained ones oldest first, so a backup (which adds the newest) changes only the last piece. Cut into
/// pieces of at most `pieceSize`, each sealed (kind 10) under the snapshot-index key with a nonce derived from the
/// piece (keyed BLAKE2b), so an unchanged index, or an unchanged piece, is the same block.
public enum SnapshotIndexCodec {
    public static let version: UInt8 = 1
    public static let entrySize = 41
    public static let pieceSize = 256 << 10
    /// A head names at most this many pieces.
    public static let maxPieces = 64
    public static let maxEntries = maxPieces * pieceSize / entrySize
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
        guard p.readableBytes % entrySize == 0, p.readableBytes / entrySize <= maxEntries else {
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
        return try stride(from: 0, to: plain.count, by: pieceSize).map { start in
            let piece = Array(plain[start..<min(start + pieceSize, plain.count)])
            let nonce = Blake2b.hash(piece, outputLength: XChaCha20Poly1305.nonceLength, key: keys.snapshotIndexNonce)
            let sealed = try SealedObject.seal(piece, kind: .snapshotIndex, key: keys.snapshotIndex, nonce: nonce)
            return (BlockID.of(sealed), sealed)
        }
    }

    public static func open(_ pieces: [[UInt8]], keys: KeyRing) throws -> SnapshotIndex {
        var plain: [UInt8] = []
        for piece in pieces { plain += try SealedObject.open(piece, kind: .snapshotIndex, key: keys.snapshotIndex, what: what) }
        return try decode(plain)
    }
}
