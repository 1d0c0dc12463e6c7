import PeerStoreCrypto

/// A user id people can copy and paste: "ps" + base32 (RFC 4648 alphabet, lowercase, no padding) of the Ed25519
/// public key followed by a 4-byte BLAKE2b checksum, so a mistyped id is caught.
public enum UserID {
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)

    public static func encode(publicKey: [UInt8]) -> String {
        let payload = publicKey + checksum(publicKey)
        return "ps" + base32(payload)
    }

    /// The public key an id names, or nil if it is malformed or its checksum is wrong.
    public static func decode(_ text: String) -> [UInt8]? {
        guard text.hasPrefix("ps"), let payload = unbase32(String(text.dropFirst(2))), payload.count == 36 else { return nil }
        let key = Array(payload.prefix(32))
        return checksum(key) == Array(payload.suffix(4)) ? key : nil
    }

    static func checksum(_ key: [UInt8]) -> [UInt8] {
        Array(Blake2b.hash(Array("peerstore.userid".utf8) + key, outputLength: 16).prefix(4))
    }

    static func base32(_ bytes: [UInt8]) -> String {
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

    static func unbase32(_ text: String) -> [UInt8]? {
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
        return out
    }
}
