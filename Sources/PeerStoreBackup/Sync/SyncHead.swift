import ChordRing
import NIOCore
import PeerStoreCrypto
import PeerStoreModel

/// The sync head of one (user, folder, device): a signed record whose value points at the snapshot of the folder as
/// that device last synced it and at the sealed blocks of its folder state (version vectors and all).
///
/// Salt = keyed BLAKE2b(sync-salt key, "sync/" | folder name length u16 | folder name | device id 16), so nodes can tell
/// neither folders nor devices apart. Value sealed under the sync-value key (version 1):
/// `version u8 = 1 | snapshot 32 | time ns i64 | pieces u8 (1...maxPieces) | piece ids 32 each`.
public struct SyncHead: Equatable, Sendable {
    public static let version: UInt8 = 1
    public static let maxPieces = 64
    public static let maxFolderName = 255

    public var snapshot: Identifier
    public var time: Int64
    /// The state's blocks, in order (`FolderStateCodec`).
    public var pieces: [Identifier]

    public init(snapshot: Identifier, time: Int64, pieces: [Identifier]) {
        self.snapshot = snapshot
        self.time = time
        self.pieces = pieces
    }

    public static func salt(folder: String, device: [UInt8], keys: KeyRing) -> [UInt8] {
        var input = ByteBuffer()
        input.writeBytes(Array("sync/".utf8))
        input.writeShortBytes(Array(folder.utf8))
        input.writeBytes(device)
        return Blake2b.hash(Array(input.readableBytesView), outputLength: 32, key: keys.syncSalt)
    }

    public func encoded() -> [UInt8] {
        var out = ByteBuffer()
        out.writeInteger(Self.version)
        out.writeBytes(snapshot.bytes)
        out.writeInteger(time)
        out.writeInteger(UInt8(pieces.count))
        for piece in pieces { out.writeBytes(piece.bytes) }
        return Array(out.readableBytesView)
    }

    public static func decode(_ bytes: [UInt8]) throws -> SyncHead {
        let what = "sync head"
        var p = ByteBuffer(bytes: bytes)
        guard let version = p.readInteger(as: UInt8.self) else { throw BackupError.badFormat(what, "empty") }
        guard version == Self.version else { throw BackupError.badFormat(what, "unknown format version \(version); a newer client wrote it") }
        guard let snapshot = p.readBytes(length: 32), let time = p.readInteger(as: Int64.self),
            let count = p.readInteger(as: UInt8.self), count >= 1, Int(count) <= maxPieces, p.readableBytes == Int(count) * 32
        else { throw BackupError.badFormat(what, "bad value") }
        let pieces = (0..<Int(count)).map { _ in Identifier(bytes: p.readBytes(length: 32)!)! }
        return SyncHead(snapshot: Identifier(bytes: snapshot)!, time: time, pieces: pieces)
    }

    public func sealedValue(keys: KeyRing) throws -> [UInt8] {
        try SealedObject.seal(encoded(), kind: .syncHead, key: keys.syncValue, nonce: SecureRandom.bytes(24))
    }

    public static func open(_ value: [UInt8], keys: KeyRing) throws -> SyncHead {
        try decode(try SealedObject.open(value, kind: .syncHead, key: keys.syncValue, what: "sync head"))
    }
}
