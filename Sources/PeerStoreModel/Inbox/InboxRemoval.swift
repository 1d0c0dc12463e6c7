import ChordRing
import NIOCore
import PeerStoreCrypto

/// The owner's signed order to remove entries from its inbox.
///
/// Encoding (version 1): `version u8 | owner 32 | count u16 | ids 32*count | signature 64`, at most `maxIDs` ids; the
/// signature is the owner's over "peerstore-inbox-removal-v1" || owner || ids. Nodes keep removals (bounded, see
/// `InboxLimits.maxTombstones`) so that a removed entry that a stale replica still holds is not taken back in; a node
/// keeps a removal only if it removes an entry it holds (`InboxState.apply`).
public struct InboxRemoval: Equatable, Hashable, Sendable {
    public static let formatVersion: UInt8 = 1
    public static let maxIDs = 256
    static let signingContext: [UInt8] = Array("peerstore-inbox-removal-v1".utf8)

    public var owner: [UInt8]
    public var ids: [Identifier]
    public var signature: [UInt8]

    public init(owner: [UInt8], ids: [Identifier], signature: [UInt8]) {
        self.owner = owner
        self.ids = ids
        self.signature = signature
    }

    /// Creates a removal of `ids` from the inbox of `keys` (its owner), signed.
    public init(ids: [Identifier], signingWith keys: SigningKeyPair) throws {
        guard !ids.isEmpty, ids.count <= Self.maxIDs else {
            throw ModelError(.badInboxRemoval, "an inbox removal names 1 to \(Self.maxIDs) entries, not \(ids.count)")
        }
        self.init(owner: keys.publicKey, ids: ids, signature: [])
        signature = keys.sign(signedBytes)
    }

    /// The inbox it applies to.
    public var inboxKey: Identifier { InboxKey.of(owner: owner) }

    public var signedBytes: [UInt8] {
        Self.signingContext + owner + ids.flatMap(\.bytes)
    }

    public var hasValidSignature: Bool {
        !ids.isEmpty && ids.count <= Self.maxIDs
            && SigningKeyPair.verify(signature: signature, message: signedBytes, publicKey: owner)
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(Self.formatVersion)
        buffer.writeBytes(owner)
        buffer.writeInteger(UInt16(ids.count))
        for id in ids { buffer.writeBytes(id.bytes) }
        buffer.writeBytes(signature)
    }

    /// Decodes a removal, bounding the id count; does not check the signature.
    public static func decode(from buffer: inout ByteBuffer) throws -> InboxRemoval {
        func fail(_ why: String) -> ModelError { ModelError(.badInboxRemoval, "malformed inbox removal: \(why)") }
        guard let version = buffer.readInteger(as: UInt8.self) else { throw fail("empty") }
        guard version == formatVersion else { throw fail("unknown format version \(version)") }
        guard let owner = buffer.readBytes(length: 32) else { throw fail("truncated owner key") }
        guard let count = buffer.readInteger(as: UInt16.self), count >= 1, Int(count) <= maxIDs else {
            throw fail("id count not within 1...\(maxIDs)")
        }
        var ids: [Identifier] = []
        for _ in 0..<count {
            guard let bytes = buffer.readBytes(length: 32) else { throw fail("truncated ids") }
            ids.append(Identifier(bytes: bytes)!)
        }
        guard let signature = buffer.readBytes(length: 64) else { throw fail("truncated signature") }
        return InboxRemoval(owner: owner, ids: ids, signature: signature)
    }
}

extension InboxRemoval: BufferCodable {
    public static var malformed: (code: ModelError.Code, what: String) { (.badInboxRemoval, "inbox removal") }
}
