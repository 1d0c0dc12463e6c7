import NIOCore
import PeerStoreCrypto

/// What opens exactly one version of one file, from one user to another: the file's content reference (manifest id
/// and session key, or the inline chunk refs of a one-chunk file), its name, size, mode and mtime, who sent it to whom,
/// when, a message, and which live share and version it is. Signed inside by the sender; `SealedShare` seals it to the
/// recipient. The session key opens that manifest only (it is derived from the manifest's content), so a later
/// version of the file needs a new grant.
///
/// Plaintext (version 1): `version u8 = 1 | share id 16 | share version u32 | sender key 32 | recipient key 32 |
/// time ns i64 | name (u16 length | bytes) | size u64 | mode u32 | mtime i64 + u32 ns | message (u16 length | UTF-8) |
/// content tag u8 | content | signature 64`, the signature by the sender's Ed25519 key over `peerstore-share-v1` and
/// every byte before it.
public struct ShareGrant: Equatable, Sendable {
    public static let formatVersion: UInt8 = 1
    public static let maxNameLength = 1024
    public static let maxMessageLength = 1024
    public static let shareIDLength = 16
    static let signingContext = Array("peerstore-share-v1".utf8)

    /// Random, and the same for every version of one live share.
    public var shareID: [UInt8]
    /// 1 for the first version shared, one more for each later version of a live share.
    public var version: UInt32
    public var sender: [UInt8]
    public var recipient: [UInt8]
    /// When this version was shared (ns since 1970).
    public var time: Int64
    public var name: FileName
    public var size: UInt64
    public var mode: UInt32
    public var mtime: Timestamp
    public var message: String
    /// `.none`, `.inline` or `.manifest`: what the file's tree entry held.
    public var content: TreeEntry.Content

    public init(shareID: [UInt8], version: UInt32, sender: [UInt8], recipient: [UInt8], time: Int64, name: FileName,
                size: UInt64, mode: UInt32, mtime: Timestamp, message: String, content: TreeEntry.Content) {
        self.shareID = shareID
        self.version = version
        self.sender = sender
        self.recipient = recipient
        self.time = time
        self.name = name
        self.size = size
        self.mode = mode
        self.mtime = mtime
        self.message = message
        self.content = content
    }

    /// The tree entry a restore writes: the file as it was backed up, with its permission bits only (a sender cannot
    /// hand anyone a set-user-id file).
    public var entry: TreeEntry {
        TreeEntry(name: name, kind: .file, mode: mode & 0o777, mtime: mtime, size: size, content: content)
    }

    /// The unsigned body.
    func body() throws -> [UInt8] {
        guard shareID.count == Self.shareIDLength, sender.count == 32, recipient.count == 32 else {
            throw BackupError(.badShare, "a share needs a 16-byte share id and two 32-byte user keys")
        }
        guard name.isSafe, name.bytes.count <= Self.maxNameLength else {
            throw BackupError(.badShare, "the file's name is not one a share can carry (at most \(Self.maxNameLength) bytes)")
        }
        guard message.utf8.count <= Self.maxMessageLength else {
            throw BackupError(.usage, "-message is \(message.utf8.count) bytes; a share's message holds at most \(Self.maxMessageLength)")
        }
        guard content.isFileContent else { throw BackupError(.badShare, "only a file's content can be shared") }
        var out = ByteBuffer()
        out.writeInteger(Self.formatVersion)
        out.writeBytes(shareID)
        out.writeInteger(version)
        out.writeBytes(sender)
        out.writeBytes(recipient)
        out.writeInteger(time)
        out.writeShortBytes(name.bytes)
        out.writeInteger(size)
        out.writeInteger(mode)
        out.writeInteger(mtime.seconds)
        out.writeInteger(mtime.nanoseconds)
        out.writeShortBytes(Array(message.utf8))
        content.encode(into: &out)
        return Array(out.readableBytesView)
    }

    /// The body and the sender's signature of it; `signer` must be the sender's key pair.
    public func signed(by signer: SigningKeyPair) throws -> [UInt8] {
        guard signer.publicKey == sender else { throw BackupError(.badShare, "a share is signed by its sender") }
        let body = try body()
        return body + signer.sign(Self.signingContext + body)
    }

    /// Reads a signed grant and checks its signature and every bound; throws `badShare` otherwise.
    public static func verified(_ bytes: [UInt8]) throws -> ShareGrant {
        let what = "share"
        guard bytes.count > SigningKeyPair.signatureLength else { throw rejected("too short") }
        let body = Array(bytes.dropLast(SigningKeyPair.signatureLength))
        let signature = Array(bytes.suffix(SigningKeyPair.signatureLength))
        var p = ByteBuffer(bytes: body)
        guard let version = p.readInteger(as: UInt8.self) else { throw rejected("empty") }
        guard version == formatVersion else {
            throw BackupError(.badShare, "the share has format version \(version); a newer peerstore-client made it: update this one")
        }
        do {
            guard let id = p.readBytes(length: shareIDLength), let shareVersion = p.readInteger(as: UInt32.self),
                let sender = p.readBytes(length: 32), let recipient = p.readBytes(length: 32), let time = p.readInteger(as: Int64.self)
            else { throw rejected("truncated") }
            let name = FileName(bytes: try p.readShortBytes(max: maxNameLength, what: what))
            guard name.isSafe else { throw rejected("unsafe file name") }
            guard let size = p.readInteger(as: UInt64.self), let mode = p.readInteger(as: UInt32.self),
                let sec = p.readInteger(as: Int64.self), let nsec = p.readInteger(as: UInt32.self), nsec < 1_000_000_000
            else { throw rejected("truncated") }
            let message = try p.readShortString(max: maxMessageLength, what: what)
            guard let tag = p.readInteger(as: UInt8.self) else { throw rejected("truncated") }
            let content = try TreeEntry.Content.decodeFile(tag: tag, size: size, from: &p, what: what)
            guard p.readableBytes == 0 else { throw rejected("trailing bytes") }
            guard SigningKeyPair.verify(signature: signature, message: signingContext + body, publicKey: sender) else {
                throw rejected("its signature does not match its sender")
            }
            return ShareGrant(shareID: id, version: shareVersion, sender: sender, recipient: recipient, time: time, name: name,
                              size: size, mode: mode, mtime: Timestamp(seconds: sec, nanoseconds: nsec), message: message,
                              content: content)
        } catch let error as BackupError where error.code == .badFormat {
            throw rejected(error.message)
        }
    }

    static func rejected(_ why: String) -> BackupError {
        BackupError(.badShare, "the share was altered or damaged and is rejected (\(why)); ask the sender for it again")
    }
}
