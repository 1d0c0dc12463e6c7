import PeerStoreCrypto

/// A user's secrets: the Ed25519 key that signs heads (and names the user), the X25519 key that receives shares, and
/// the master key every other key is derived from.
public struct Identity: Sendable {
    public let signing: SigningKeyPair
    public let box: BoxKeyPair
    public let masterKey: [UInt8]
    public let keys: KeyRing

    public init(signing: SigningKeyPair, box: BoxKeyPair, masterKey: [UInt8]) {
        self.signing = signing
        self.box = box
        self.masterKey = masterKey
        self.keys = KeyRing(masterKey: masterKey)
    }

    /// A brand-new identity.
    public static func generate() -> Identity {
        Identity(signing: SigningKeyPair(), box: BoxKeyPair(), masterKey: SecureRandom.bytes(32))
    }

    public var userID: String { UserID.encode(publicKey: signing.publicKey) }

    // File format (version 1, 0600): "PSID" | version u8 | flags u8 (0 = not passphrase-protected) |
    // ed25519 seed 32 | x25519 secret 32 | master key 32 | BLAKE2b-128 checksum of all before it.
    static let magic = Array("PSID".utf8)

    public func encoded() -> [UInt8] {
        var out = Self.magic + [1, 0] + signing.seed + box.secretKey + masterKey
        out += Blake2b.hash(out, outputLength: 16)
        return out
    }

    public static func decode(_ bytes: [UInt8], path: String) throws -> Identity {
        let corrupt = BackupError(
            .identity,
            "identity file \(path) is corrupted; restore it from your safe copy (without it your backups cannot be read)")
        guard bytes.count == 4 + 2 + 96 + 16, Array(bytes.prefix(4)) == magic else { throw corrupt }
        guard Blake2b.hash(Array(bytes.prefix(102)), outputLength: 16) == Array(bytes.suffix(16)) else { throw corrupt }
        guard bytes[4] == 1 else {
            throw BackupError(.identity, "identity file \(path) has format version \(bytes[4]); this peerstore-client is too old for it")
        }
        guard bytes[5] == 0 else {
            throw BackupError(.identity, "identity file \(path) is passphrase-protected, which this version cannot open")
        }
        return Identity(
            signing: try SigningKeyPair(seed: Array(bytes[6..<38])),
            box: try BoxKeyPair(secretKey: Array(bytes[38..<70])),
            masterKey: Array(bytes[70..<102]))
    }
}
