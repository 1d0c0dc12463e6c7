import ChordRing
import NIOCore
import PeerStoreCrypto
import PeerStoreModel

/// The head of one (user, device): a signed record whose value points at the latest snapshot and at the device's
/// snapshot index.
///
/// Salt = keyed BLAKE2b(head-salt key, "head/" + device), so servers cannot tell devices apart by name; the value is
/// sealed so they cannot follow the history either. seq grows with every backup and forget. Plaintext, version 2:
/// `version u8 = 2 | snapshot 32 | time ns i64 | pieces u8 (1...64) | index piece ids 32 each`
/// (`SnapshotIndexCodec`). Version 1 (older builds) has no version byte: `snapshot 32 | time ns i64`, exactly 40
/// bytes; it still reads, with `index` nil (its history is the parent chain).
public struct HeadPointer: Equatable, Sendable {
    public static let version: UInt8 = 2
    static let version1Size = 40

    public var snapshot: Identifier
    public var time: Int64
    /// The snapshot index's blocks, in order; nil for a version 1 head.
    public var index: [Identifier]?

    public init(snapshot: Identifier, time: Int64, index: [Identifier]? = nil) {
        self.snapshot = snapshot
        self.time = time
        self.index = index
    }

    public static func salt(device: String, keys: KeyRing) -> [UInt8] {
        Blake2b.hash(Array("head/\(device)".utf8), outputLength: 32, key: keys.headSalt)
    }

    /// The plaintext: version 2 with an index, version 1 (as older builds wrote it) without.
    public func encoded() -> [UInt8] {
        var out = ByteBuffer()
        if index != nil { out.writeInteger(Self.version) }
        out.writeBytes(snapshot.bytes)
        out.writeInteger(time)
        if let index {
            out.writeInteger(UInt8(index.count))
            for id in index { out.writeBytes(id.bytes) }
        }
        return Array(out.readableBytesView)
    }

    public static func decode(_ bytes: [UInt8]) throws -> HeadPointer {
        var p = ByteBuffer(bytes: bytes)
        if bytes.count == version1Size {
            return HeadPointer(snapshot: Identifier(bytes: p.readBytes(length: 32)!)!, time: p.readInteger(as: Int64.self)!)
        }
        guard let v = p.readInteger(as: UInt8.self), v == version else {
            throw BackupError.badFormat("head record", "unknown format (\(bytes.count) bytes): a newer peerstore-client may have written it; update this one")
        }
        guard let id = p.readBytes(length: 32), let time = p.readInteger(as: Int64.self), let count = p.readInteger(as: UInt8.self),
            count >= 1, Int(count) <= SnapshotIndexCodec.maxPieces, p.readableBytes == Int(count) * 32
        else { throw BackupError.badFormat("head record", "bad value") }
        let pieces = (0..<Int(count)).map { _ in Identifier(bytes: p.readBytes(length: 32)!)! }
        return HeadPointer(snapshot: Identifier(bytes: id)!, time: time, index: pieces)
    }

    public func sealedValue(keys: KeyRing) throws -> [UInt8] {
        try SealedObject.seal(encoded(), kind: .head, key: keys.headValue, nonce: SecureRandom.bytes(24))
    }

    public static func open(_ value: [UInt8], keys: KeyRing) throws -> HeadPointer {
        try decode(try SealedObject.open(value, kind: .head, key: keys.headValue, what: "head record"))
    }
}
