import ChordRing
import NIOCore
import PeerStoreCrypto

/// A holder's signed release of its leases on a batch of blocks (what a prune sends for blocks no retained snapshot
/// references).
///
/// Encoding (version 1): `version u8 | holder 32 | horizon u64 | count u16 | ids 32*count | signature 64`, 1 to
/// `maxIDs` ids. The horizon (unix seconds) is when the releasing prune read the heads; a node ends the holder's lease
/// on a block only if it last saw the holder renew it before `min(horizon, now) - B` (`LeaseRules.backupBound`), so a
/// lease renewed by a backup the prune could not see stays. The signature is the holder's over
/// "peerstore-lease-release-v1" and every byte before it.
public struct LeaseRelease: Equatable, Hashable, Sendable, HolderSigned {
    public static let formatVersion: UInt8 = 1
    public static let maxIDs = LeaseIDs.maxIDs
    public static let signingContext: [UInt8] = Array("peerstore-lease-release-v1".utf8)

    public var holder: [UInt8]
    public var horizon: UInt64
    public var ids: [Identifier]
    public var signature: [UInt8]

    public init(holder: [UInt8], horizon: UInt64, ids: [Identifier], signature: [UInt8]) {
        self.holder = holder
        self.horizon = horizon
        self.ids = ids
        self.signature = signature
    }

    /// A release of `ids` with `horizon` (unix seconds), signed by `keys` (the holder).
    public init(ids: [Identifier], horizon: UInt64, signingWith keys: SigningKeyPair) throws {
        guard LeaseIDs.isValidCount(ids) else {
            throw ModelError(.badLease, "a lease release names 1 to \(Self.maxIDs) blocks, not \(ids.count)")
        }
        self.init(holder: keys.publicKey, horizon: horizon, ids: ids, signature: [])
        signature = keys.sign(signedBytes)
    }

    public var encodedLength: Int { 1 + 32 + 8 + 2 + 32 * ids.count + 64 }

    public func encodeUnsigned(into buffer: inout ByteBuffer) {
        buffer.writeInteger(Self.formatVersion)
        buffer.writeBytes(holder)
        buffer.writeInteger(horizon)
        LeaseIDs.encode(ids, into: &buffer)
    }

    /// Decodes a release, bounding the id count; does not check the signature.
    public static func decode(from buffer: inout ByteBuffer) throws -> LeaseRelease {
        func fail(_ why: String) -> ModelError { ModelError(.badLease, "malformed lease release: \(why)") }
        guard let version = buffer.readInteger(as: UInt8.self) else { throw fail("empty") }
        guard version == formatVersion else { throw fail("unknown format version \(version)") }
        guard let holder = buffer.readBytes(length: 32) else { throw fail("truncated holder key") }
        guard let horizon = buffer.readInteger(as: UInt64.self) else { throw fail("truncated horizon") }
        let ids = try LeaseIDs.decode(from: &buffer, fail: fail)
        guard let signature = buffer.readBytes(length: 64) else { throw fail("truncated signature") }
        return LeaseRelease(holder: holder, horizon: horizon, ids: ids, signature: signature)
    }
}

extension LeaseRelease: BufferCodable {
    public static var malformed: (code: ModelError.Code, what: String) { (.badLease, "lease release") }
}
