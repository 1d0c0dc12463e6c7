import ChordRing
import NIOCore
import PeerStoreCrypto
import PeerStoreModel

/// The head of one (user, device): a signed record whose value points at the latest snapshot.
///
/// Salt = keyed BLAKE2b(head-salt key, "head/" + device), so servers cannot tell devices apart by name; the value is
/// sealed (`snapshot id 32 | time ns i64`) so they cannot follow the history either. seq grows with every backup.
public struct HeadPointer: Equatable, Sendable {
    public var snapshot: Identifier
    public var time: Int64

    public init(snapshot: Identifier, time: Int64) {
        self.snapshot = snapshot
        self.time = time
    }

    public static func salt(device: String, keys: KeyRing) -> [UInt8] {
        Blake2b.hash(Array("head/\(device)".utf8), outputLength: 32, key: keys.headSalt)
    }

    public func sealedValue(keys: KeyRing) throws -> [UInt8] {
        var out = ByteBuffer()
        out.writeBytes(snapshot.bytes)
        out.writeInteger(time)
        return try SealedObject.seal(Array(out.readableBytesView), kind: .head, key: keys.headValue, nonce: SecureRandom.bytes(24))
    }

    public static func open(_ value: [UInt8], keys: KeyRing) throws -> HeadPointer {
        var p = ByteBuffer(bytes: try SealedObject.open(value, kind: .head, key: keys.headValue, what: "head record"))
        guard let id = p.readBytes(length: 32), let time = p.readInteger(as: Int64.self), p.readableBytes == 0 else {
            throw BackupError.badFormat("head record", "bad value")
        }
        return HeadPointer(snapshot: Identifier(bytes: id)!, time: time)
    }
}
