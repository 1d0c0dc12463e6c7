import PeerStoreCrypto
import PeerStoreWire

/// A sealed share as text that survives e-mail and chat: `psshare1` + base32 (lowercase, no padding) of the sealed
/// bytes and a 4-byte BLAKE2b checksum, so a truncated or mistyped token is caught before anything is tried. On input,
/// whitespace and line breaks anywhere are ignored, and upper case is read as lower.
public enum ShareToken {
    public static let prefix = "psshare1"

    public static func encode(_ sealed: [UInt8]) -> String {
        prefix + PublicKeyText.base32(sealed + checksum(sealed))
    }

    /// True when `text` looks like a token (rather than, say, an inbox index).
    public static func looksLikeToken(_ text: String) -> Bool {
        compact(text).hasPrefix("psshare")
    }

    /// The sealed bytes of a token; `badShare` with what to do if it is not one, or damaged.
    public static func decode(_ text: String) throws -> [UInt8] {
        let token = compact(text)
        guard token.hasPrefix(prefix) else {
            if token.hasPrefix("psshare") {
                throw BackupError(.badShare, "this share token has a format this peerstore-client does not know; update it")
            }
            throw BackupError(.badShare, "this is not a share token (one starts with \(prefix))")
        }
        guard let payload = PublicKeyText.unbase32(String(token.dropFirst(prefix.count))), payload.count > 4,
            payload.count <= SealedShare.maxLength + 4
        else {
            throw BackupError(.badShare, "the share token is damaged or mistyped (not base32, or cut short): copy it again, whole")
        }
        let sealed = Array(payload.dropLast(4))
        guard checksum(sealed) == Array(payload.suffix(4)) else {
            throw BackupError(.badShare, "the share token is damaged or mistyped (its checksum does not match): copy it again, whole")
        }
        return sealed
    }

    static func compact(_ text: String) -> String {
        String(text.unicodeScalars.filter { !$0.properties.isWhitespace }).lowercased()
    }

    static func checksum(_ bytes: [UInt8]) -> [UInt8] {
        Array(Blake2b.hash(Array("peerstore.share.token".utf8) + bytes, outputLength: 16).prefix(4))
    }
}
