import ChordRing
import NIOCore
import PeerStoreCrypto

/// A holder's signed lease on a batch of blocks: "keep these until `expiry`".
///
/// Encoding (version 1): `version u8 | holder 32 | issued-at u64 | expiry u64 | count u16 | ids 32*count | signature
/// 64`, 1 to `maxIDs` ids, times in unix seconds. The holder is a user's Ed25519 public key (devices of one user share
/// it); the signature is the holder's over "peerstore-lease-grant-v1" and every byte before it, so one signature covers
/// the whole batch. A node refuses a grant issued more than `LeaseRules.maxClockSkew` ahead of its own clock.
public struct LeaseGrant: Equatable, Hashable, Sendable, HolderSigned {
    public static let formatVersion: UInt8 = 1
    public static let maxIDs = LeaseIDs.maxIDs
    public static let signingContext: [UInt8] = Array("peerstore-lease-grant-v1".utf8)

    public var holder: [UInt8]
    public var issuedAt: UInt64
    public var expiry: UInt64
    public var ids: [Identifier]
    public var signature: [UInt8]

    public init(holder: [UInt8], issuedAt: UInt64, expiry: UInt64, ids: [Identifier], signature: [UInt8]) {
        self.holder = holder
        self.issuedAt = issuedAt
        self.expiry = expiry
        self.ids = ids
        self.signature = signature
    }

    /// A grant on `ids` from `issuedAt` to `expiry` (unix seconds), signed by `keys` (the holder).
    public init(ids: [Identifier], issuedAt: UInt64, expiry: UInt64, signingWith keys: SigningKeyPair) throws {
        guard LeaseIDs.isValidCount(ids) else {
            throw ModelError(.badLease, "a lease grant names 1 to \(Self.maxIDs) blocks, not \(ids.count)")
        }
        guard expiry > issuedAt else { throw ModelError(.badLease, "a lease must expire after it is issued") }
        self.init(holder: keys.publicKey, issuedAt: issuedAt, expiry: expiry, ids: ids, signature: [])
        signature = keys.sign(signedBytes)
    }

    /// The lease length the holder asked for.
    public var length: UInt64 { expiry > issuedAt ? expiry - issuedAt : 0 }

    public var encodedLength: Int { 1 + 32 + 8 + 8 + 2 + 32 * ids.count + 64 }

    public func encodeUnsigned(into buffer: inout ByteBuffer) {
        buffer.writeInteger(Self.formatVersion)
        buffer.writeBytes(holder)
        buffer.writeInteger(issuedAt)
        buffer.writeInteger(expiry)
        LeaseIDs.encode(ids, into: &buffer)
    }

    /// Decodes a grant, bounding the id count; does not check the signature.
    public static func decode(from buffer: inout ByteBuffer) throws -> LeaseGrant {
        func fail(_ why: String) -> ModelError { ModelError(.badLease, "malformed lease grant: \(why)") }
        guard let version = buffer.readInteger(as: UInt8.self) else { throw fail("empty") }
        guard version == formatVersion else { throw fail("unknown format version \(version)") }
        guard let holder = buffer.readBytes(length: 32) else { throw fail("truncated holder key") }
        guard let issuedAt = buffer.readInteger(as: UInt64.self), let expiry = buffer.readInteger(as: UInt64.self) else {
            throw fail("truncated times")
        }
        let ids = try LeaseIDs.decode(from: &buffer, fail: fail)
        guard let signature = buffer.readBytes(length: 64) else { throw fail("truncated signature") }
        return LeaseGrant(holder: holder, issuedAt: issuedAt, expiry: expiry, ids: ids, signature: signature)
    }
}

extension LeaseGrant: BufferCodable {
    public static var malformed: (code: ModelError.Code, what: String) { (.badLease, "lease grant") }
}
