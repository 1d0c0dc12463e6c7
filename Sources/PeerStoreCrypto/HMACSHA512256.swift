import CSodium

/// HMAC-SHA-512-256 (libsodium's `crypto_auth`): a 32-byte tag under a 32-byte key.
public enum HMACSHA512256 {
    public static let keyLength = Int(crypto_auth_KEYBYTES)
    public static let tagLength = Int(crypto_auth_BYTES)

    public static func authenticate(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        Sodium.ready()
        precondition(key.count == keyLength, "an HMAC-SHA-512-256 key is 32 bytes")
        var tag = [UInt8](repeating: 0, count: tagLength)
        message.withUnsafeBufferPointer { m in
            _ = crypto_auth(&tag, m.count == 0 ? nil : m.baseAddress, UInt64(m.count), key)
        }
        return tag
    }

    public static func verify(_ tag: [UInt8], message: [UInt8], key: [UInt8]) -> Bool {
        Sodium.ready()
        guard tag.count == tagLength, key.count == keyLength else { return false }
        return message.withUnsafeBufferPointer { m in
            crypto_auth_verify(tag, m.count == 0 ? nil : m.baseAddress, UInt64(m.count), key) == 0
        }
    }
}

/// SHA-256 (libsodium's `crypto_hash_sha256`), used where a published protocol names it.
public enum SHA256 {
    public static func hash(_ message: [UInt8]) -> [UInt8] {
        Sodium.ready()
        var out = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_BYTES))
        message.withUnsafeBufferPointer { m in
            _ = crypto_hash_sha256(&out, m.count == 0 ? nil : m.baseAddress, UInt64(m.count))
        }
        return out
    }
}
