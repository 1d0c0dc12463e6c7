import PeerStoreCrypto

/// A public key people can copy and paste: a two-letter prefix ("ps" for users, "pn" for nodes) + base32 (RFC 4648
/// alphabet, lowercase, no padding) of the 32-byte key followed by a 4-byte BLAKE2b checksum, so a typo is caught.
public enum PublicKeyText {
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)

    public static func encode(_ key: [UInt8], prefix: String) -> String {
        prefix + base32(key + checksum(key))
    }

    /// The key a text names, or nil if it is malformed, has another prefix, or its checksum is wrong.
    public static func decode(_ text: String, prefix: String) -> [UInt8]? {
        guard text.hasPrefix(prefix), let payload = unbase32(String(text.dropFirst(prefix.count))), payload.count == 36 else {
            return nil
        }
        let key = Array(payload.prefix(32))
        return checksum(key) == Array(payload.suffix(4)) ? key : nil
    }

    static func checksum(_ key: [UInt8]) -> [UInt8] {
        Array(Blake2b.hash(Array("peerstore.userid".utf8) + key, outputLength: 16).prefix(4))
    }

    /// RFC 4648 base32, lowercase, no padding.
    public static func base32(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        var buffer: UInt32 = 0
        var bits = 0
        for b in bytes {
            buffer = buffer << 8 | UInt32(b)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[Int((buffer >> UInt32(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of a canonical lowercase or uppercase base32 text (see `base32`), or nil.
    public static func unbase32(_ text: String) -> [UInt8]? {
        var out = [UInt8]()
        var buffer: UInt32 = 0
        var bits = 0
        for c in text.lowercased().utf8 {
            guard let v = alphabet.firstIndex(of: c) else { return nil }
            buffer = buffer << 5 | UInt32(v)
            bits += 5
            if bits >= 8 {
                out.append(UInt8((buffer >> UInt32(bits - 8)) & 0xff))
                bits -= 8
            }
        }
        // Only a canonical encoding: fewer than 5 leftover bits, all zero. Otherwise a trailing extra character, or a
        // last character differing only in its padding bits, would name the same key.
        guard bits < 5, buffer & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
        return out
    }
}
