import Foundation
import NIOCore
import PeerStoreCrypto

/// An identity sealed under a passphrase, to move it to another machine (`export-identity`, `import-identity`).
///
/// Format, version 1: `"PSIX" | version u8 = 1 | kdf u8 = 1 (Argon2id v1.3) | opsLimit u32 | memLimit u32 (bytes) |
/// salt 16 | nonce 24 | XChaCha20-Poly1305(the identity file's bytes, `Identity.encoded()`) with its 16-byte tag`; the
/// header (everything before the ciphertext) is the associated data, so the limits and salt cannot be changed
/// unnoticed. The key is Argon2id(passphrase as NFC UTF-8, salt, the limits stored). Limits are bounded on reading so a
/// doctored file cannot ask for more than 1 GiB or 16 passes.
public enum IdentityExport {
    static let magic = Array("PSIX".utf8)
    public static let formatVersion: UInt8 = 1
    static let kdfArgon2id13: UInt8 = 1
    static let headerLength = 4 + 2 + 8 + Argon2id.saltLength + XChaCha20Poly1305.nonceLength
    public static let maxFileLength = 1024
    static let maxOpsLimit: UInt32 = 16
    static let memLimits = 8192...(1 << 30)
    /// An export's passphrase has at least this many characters.
    public static let minPassphraseLength = 8

    /// The passphrase's bytes as the key derivation takes them (Unicode NFC, so a passphrase typed on one system
    /// opens the file on another).
    public static func passphraseBytes(_ passphrase: String) -> [UInt8] {
        Array(passphrase.precomposedStringWithCanonicalMapping.utf8)
    }

    public static func seal(
        _ identity: Identity, passphrase: String, cost: Argon2id.Cost = .moderate,
        salt: [UInt8] = SecureRandom.bytes(Argon2id.saltLength), nonce: [UInt8] = SecureRandom.bytes(XChaCha20Poly1305.nonceLength)
    ) throws -> [UInt8] {
        guard passphrase.count >= minPassphraseLength else {
            throw BackupError(.usage, "the passphrase is too short: give at least \(minPassphraseLength) characters")
        }
        var header = ByteBuffer()
        header.writeBytes(magic)
        header.writeInteger(formatVersion)
        header.writeInteger(kdfArgon2id13)
        header.writeInteger(UInt32(cost.opsLimit))
        header.writeInteger(UInt32(cost.memLimit))
        header.writeBytes(salt)
        header.writeBytes(nonce)
        let ad = Array(header.readableBytesView)
        let key = try Argon2id.deriveKey(password: passphraseBytes(passphrase), salt: salt, cost: cost)
        return ad + (try XChaCha20Poly1305.seal(identity.encoded(), key: key, nonce: nonce, associatedData: ad))
    }

    /// The header's cost, checked before any passphrase is asked for: an error if `bytes` is not an export this
    /// version reads.
    public static func cost(of bytes: [UInt8], path: String) throws -> Argon2id.Cost {
        let notOne = BackupError(.identity, "\(path) is not an exported identity (made by `peerstore-client -operation export-identity`) or is damaged")
        guard bytes.count >= headerLength + XChaCha20Poly1305.tagLength, bytes.count <= maxFileLength,
            Array(bytes.prefix(4)) == magic
        else { throw notOne }
        guard bytes[4] == formatVersion else {
            throw BackupError(.identity, "\(path) is an exported identity of format version \(bytes[4]); this peerstore-client is too old for it")
        }
        var p = ByteBuffer(bytes: bytes[5..<14])
        guard p.readInteger(as: UInt8.self) == kdfArgon2id13, let ops = p.readInteger(as: UInt32.self), let mem = p.readInteger(as: UInt32.self),
            (1...maxOpsLimit).contains(ops), memLimits.contains(Int(mem))
        else { throw notOne }
        return Argon2id.Cost(opsLimit: UInt64(ops), memLimit: Int(mem))
    }

    /// The identity in an export; `wrongPassphrase` (one line, nothing else said) if the passphrase does not open it.
    public static func open(_ bytes: [UInt8], passphrase: String, path: String) throws -> Identity {
        let cost = try cost(of: bytes, path: path)
        let header = Array(bytes.prefix(headerLength))
        let salt = Array(header[14..<(14 + Argon2id.saltLength)])
        let nonce = Array(header.suffix(XChaCha20Poly1305.nonceLength))
        let key = try Argon2id.deriveKey(password: passphraseBytes(passphrase), salt: salt, cost: cost)
        let plain: [UInt8]
        do {
            plain = try XChaCha20Poly1305.open(Array(bytes[headerLength...]), key: key, nonce: nonce, associatedData: header)
        } catch {
            throw BackupError(.wrongPassphrase, "wrong passphrase for \(path) (or the file was altered): nothing was imported; try again with the passphrase given to export-identity")
        }
        return try Identity.decode(plain, path: path)
    }
}
