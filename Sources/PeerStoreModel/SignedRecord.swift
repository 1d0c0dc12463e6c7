import ChordRing
import NIOCore
import PeerStoreCrypto

/// A signed, versioned, mutable pointer after BitTorrent's BEP 44: {owner key, salt, seq, value, signature}.
///
/// Its key on the ring is BLAKE2b-256(owner public key || salt). Encoding (version 1):
/// `version u8 | owner 32 | saltLength u8 | salt | seq u64 | valueLength u16 | value | signature 64`.
public struct SignedRecord: Equatable, Sendable {
    public static let formatVersion: UInt8 = 1
    public static let maxSaltLength = 64
    public static let maxValueLength = 4096
    static let signingContext: [UInt8] = Array("peerstore-record-v1".utf8)

    public var ownerKey: [UInt8]
    public var salt: [UInt8]
    public var seq: UInt64
    public var value: [UInt8]
    public var signature: [UInt8]

    public init(ownerKey: [UInt8], salt: [UInt8], seq: UInt64, value: [UInt8], signature: [UInt8]) {
        self.ownerKey = ownerKey
        self.salt = salt
        self.seq = seq
        self.value = value
        self.signature = signature
    }

    /// Creates and signs a record.
    public init(signing value: [UInt8], salt: [UInt8], seq: UInt64, with keys: SigningKeyPair) throws {
        guard salt.count <= Self.maxSaltLength else { throw ModelError(.badRecord, "record salt longer than 64 bytes") }
        guard value.count <= Self.maxValueLength else { throw ModelError(.badRecord, "record value longer than 4 KiB") }
        self.init(ownerKey: keys.publicKey, salt: salt, seq: seq, value: value, signature: [])
        signature = keys.sign(signedBytes)
    }

    /// The record's key on the ring.
    public static func key(owner: [UInt8], salt: [UInt8]) -> Identifier {
        Identifier(bytes: Blake2b.hash(owner + salt, outputLength: 32))!
    }

    public var key: Identifier { Self.key(owner: ownerKey, salt: salt) }

    /// The bytes the signature covers.
    public var signedBytes: [UInt8] {
        var out = Self.signingContext
        out.append(UInt8(salt.count))
        out += salt
        out += withUnsafeBytes(of: seq.bigEndian) { Array($0) }
        out += withUnsafeBytes(of: UInt32(value.count).bigEndian) { Array($0) }
        out += value
        return out
    }

    public var hasValidSignature: Bool {
        ownerKey.count == SigningKeyPair.publicKeyLength
            && SigningKeyPair.verify(signature: signature, message: signedBytes, publicKey: ownerKey)
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(Self.formatVersion)
        buffer.writeBytes(ownerKey)
        buffer.writeInteger(UInt8(salt.count))
        buffer.writeBytes(salt)
        buffer.writeInteger(seq)
        buffer.writeInteger(UInt16(value.count))
        buffer.writeBytes(value)
        buffer.writeBytes(signature)
    }

    /// Decodes a record, bounding every length; does not check the signature.
    public static func decode(from buffer: inout ByteBuffer) throws -> SignedRecord {
        func fail(_ why: String) -> ModelError { ModelError(.badRecord, "malformed record: \(why)") }
        guard let version = buffer.readInteger(as: UInt8.self) else { throw fail("empty") }
        guard version == formatVersion else { throw fail("unknown format version \(version)") }
        guard let owner = buffer.readBytes(length: 32) else { throw fail("truncated owner key") }
        guard let saltLength = buffer.readInteger(as: UInt8.self), Int(saltLength) <= maxSaltLength else {
            throw fail("salt length")
        }
        guard let salt = buffer.readBytes(length: Int(saltLength)) else { throw fail("truncated salt") }
        guard let seq = buffer.readInteger(as: UInt64.self) else { throw fail("truncated seq") }
        guard let valueLength = buffer.readInteger(as: UInt16.self), Int(valueLength) <= maxValueLength else {
            throw fail("value length")
        }
        guard let value = buffer.readBytes(length: Int(valueLength)) else { throw fail("truncated value") }
        guard let signature = buffer.readBytes(length: 64) else { throw fail("truncated signature") }
        return SignedRecord(ownerKey: owner, salt: salt, seq: seq, value: value, signature: signature)
    }
}

extension SignedRecord: BufferCodable {
    public static var malformed: (code: ModelError.Code, what: String) { (.badRecord, "record") }
}
