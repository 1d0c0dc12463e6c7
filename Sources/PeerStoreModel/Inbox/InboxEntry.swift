import ChordRing
import NIOCore
import PeerStoreCrypto

/// One sealed entry of a user's inbox, signed by whoever posted it.
///
/// Encoding (version 1): `version u8 | owner 32 | poster 32 | posted u64 | sealedLength u16 | sealed | signature 64`.
/// `owner` is the inbox owner's Ed25519 public key, `poster` the poster's; `posted` is the poster's claim of when (unix
/// seconds), not checked by anyone. The signature is the poster's over "peerstore-inbox-entry-v1" || owner || posted ||
/// sealed. `sealed` is opaque here (the client seals a share into it). A node therefore learns the owner, the poster
/// key (the per-poster cap needs it), the sealed length and the claimed time, never the content.
public struct InboxEntry: Equatable, Hashable, Sendable {
    public static let formatVersion: UInt8 = 1
    /// The most bytes a sealed part may have.
    public static let maxSealedLength = 8192
    /// The encoding's size around the sealed part.
    public static let overhead = 1 + 32 + 32 + 8 + 2 + 64
    /// The largest encoded entry.
    public static let maxEncodedLength = overhead + maxSealedLength
    static let signingContext: [UInt8] = Array("peerstore-inbox-entry-v1".utf8)

    public var owner: [UInt8]
    public var poster: [UInt8]
    public var posted: UInt64
    public var sealed: [UInt8]
    public var signature: [UInt8]

    public init(owner: [UInt8], poster: [UInt8], posted: UInt64, sealed: [UInt8], signature: [UInt8]) {
        self.owner = owner
        self.poster = poster
        self.posted = posted
        self.sealed = sealed
        self.signature = signature
    }

    /// Creates an entry for `owner`'s inbox, signed by `keys` (the poster).
    public init(owner: [UInt8], sealed: [UInt8], posted: UInt64, signingWith keys: SigningKeyPair) throws {
        guard owner.count == SigningKeyPair.publicKeyLength else {
            throw ModelError(.badInboxEntry, "an inbox owner is a 32-byte Ed25519 public key, not \(owner.count) bytes")
        }
        guard sealed.count <= Self.maxSealedLength else {
            throw ModelError(.badInboxEntry, "an inbox entry holds at most \(Self.maxSealedLength) sealed bytes, not \(sealed.count)")
        }
        self.init(owner: owner, poster: keys.publicKey, posted: posted, sealed: sealed, signature: [])
        signature = keys.sign(signedBytes)
    }

    /// The entry's name: BLAKE2b-256 of its encoding.
    public var id: Identifier { Identifier(bytes: Blake2b.hash(encoded(), outputLength: 32))! }

    /// The inbox it belongs in.
    public var inboxKey: Identifier { InboxKey.of(owner: owner) }

    /// The bytes the signature covers.
    public var signedBytes: [UInt8] {
        Self.signingContext + owner + ByteEncoding.bigEndian(posted) + sealed
    }

    public var hasValidSignature: Bool {
        owner.count == SigningKeyPair.publicKeyLength && sealed.count <= Self.maxSealedLength
            && SigningKeyPair.verify(signature: signature, message: signedBytes, publicKey: poster)
    }

    public var encodedLength: Int { Self.overhead + sealed.count }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(Self.formatVersion)
        buffer.writeBytes(owner)
        buffer.writeBytes(poster)
        buffer.writeInteger(posted)
        buffer.writeInteger(UInt16(sealed.count))
        buffer.writeBytes(sealed)
        buffer.writeBytes(signature)
    }

    /// Decodes an entry, bounding every length; does not check the signature.
    public static func decode(from buffer: inout ByteBuffer) throws -> InboxEntry {
        func fail(_ why: String) -> ModelError { ModelError(.badInboxEntry, "malformed inbox entry: \(why)") }
        guard let version = buffer.readInteger(as: UInt8.self) else { throw fail("empty") }
        guard version == formatVersion else { throw fail("unknown format version \(version)") }
        guard let owner = buffer.readBytes(length: 32) else { throw fail("truncated owner key") }
        guard let poster = buffer.readBytes(length: 32) else { throw fail("truncated poster key") }
        guard let posted = buffer.readInteger(as: UInt64.self) else { throw fail("truncated time") }
        guard let length = buffer.readInteger(as: UInt16.self) else { throw fail("truncated length") }
        guard Int(length) <= maxSealedLength else { throw fail("sealed part of \(length) bytes, more than \(maxSealedLength)") }
        guard let sealed = buffer.readBytes(length: Int(length)) else { throw fail("truncated sealed part") }
        guard let signature = buffer.readBytes(length: 64) else { throw fail("truncated signature") }
        return InboxEntry(owner: owner, poster: poster, posted: posted, sealed: sealed, signature: signature)
    }
}

extension InboxEntry: BufferCodable {
    public static var malformed: (code: ModelError.Code, what: String) { (.badInboxEntry, "inbox entry") }
}
