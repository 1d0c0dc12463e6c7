import CSodium

/// XSalsa20-Poly1305 secret boxes (libsodium's `crypto_secretbox`), combined and detached, as the Secret Handshake
/// and box-stream use them.
public enum SecretBox {
    public static let keyLength = Int(crypto_secretbox_KEYBYTES)
    public static let nonceLength = Int(crypto_secretbox_NONCEBYTES)
    public static let tagLength = Int(crypto_secretbox_MACBYTES)

    public static func seal(_ message: [UInt8], nonce: [UInt8], key: [UInt8]) -> [UInt8] {
        Sodium.ready()
        precondition(key.count == keyLength && nonce.count == nonceLength, "bad secretbox key or nonce length")
        var out = [UInt8](repeating: 0, count: message.count + tagLength)
        message.withUnsafeBufferPointer { m in
            _ = crypto_secretbox_easy(&out, m.count == 0 ? nil : m.baseAddress, UInt64(m.count), nonce, key)
        }
        return out
    }

    public static func open(_ box: [UInt8], nonce: [UInt8], key: [UInt8]) throws -> [UInt8] {
        Sodium.ready()
        guard key.count == keyLength, nonce.count == nonceLength, box.count >= tagLength else { throw CryptoError.authenticationFailed }
        var out = [UInt8](repeating: 0, count: max(box.count - tagLength, 1))
        let rc = crypto_secretbox_open_easy(&out, box, UInt64(box.count), nonce, key)
        guard rc == 0 else { throw CryptoError.authenticationFailed }
        if box.count == tagLength { return [] }
        return out
    }

    /// Encrypts `message` in place, returning its 16-byte tag.
    public static func sealDetached(_ message: UnsafeMutableRawBufferPointer, nonce: [UInt8], key: [UInt8]) -> [UInt8] {
        Sodium.ready()
        var tag = [UInt8](repeating: 0, count: tagLength)
        var empty: UInt8 = 0
        withUnsafeMutablePointer(to: &empty) { dummy in
            let p = message.count == 0 ? dummy : message.baseAddress!.assumingMemoryBound(to: UInt8.self)
            _ = crypto_secretbox_detached(p, &tag, p, UInt64(message.count), nonce, key)
        }
        return tag
    }

    /// Encrypts `message` into `output` (same length, not overlapping), returning its 16-byte tag.
    public static func sealDetached(_ message: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, nonce: [UInt8],
                                    key: [UInt8]) -> [UInt8] {
        Sodium.ready()
        precondition(output.count == message.count, "secretbox output must be as long as its input")
        guard message.count > 0 else { return sealDetached(UnsafeMutableRawBufferPointer(start: nil, count: 0), nonce: nonce, key: key) }
        var tag = [UInt8](repeating: 0, count: tagLength)
        _ = crypto_secretbox_detached(
            output.baseAddress!.assumingMemoryBound(to: UInt8.self), &tag, message.baseAddress!.assumingMemoryBound(to: UInt8.self),
            UInt64(message.count), nonce, key)
        return tag
    }

    /// Decrypts `box` into `output` (same length, not overlapping) if `tag` authenticates it.
    public static func openDetached(_ box: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, tag: [UInt8], nonce: [UInt8],
                                    key: [UInt8]) throws {
        Sodium.ready()
        precondition(output.count == box.count, "secretbox output must be as long as its input")
        guard tag.count == tagLength else { throw CryptoError.authenticationFailed }
        guard box.count > 0 else { return try openDetached(UnsafeMutableRawBufferPointer(start: nil, count: 0), tag: tag, nonce: nonce, key: key) }
        let rc = crypto_secretbox_open_detached(
            output.baseAddress!.assumingMemoryBound(to: UInt8.self), box.baseAddress!.assumingMemoryBound(to: UInt8.self), tag,
            UInt64(box.count), nonce, key)
        guard rc == 0 else { throw CryptoError.authenticationFailed }
    }

    /// Decrypts `box` in place if `tag` authenticates it.
    public static func openDetached(_ box: UnsafeMutableRawBufferPointer, tag: [UInt8], nonce: [UInt8], key: [UInt8]) throws {
        Sodium.ready()
        guard tag.count == tagLength else { throw CryptoError.authenticationFailed }
        var empty: UInt8 = 0
        let rc = withUnsafeMutablePointer(to: &empty) { dummy in
            let p = box.count == 0 ? dummy : box.baseAddress!.assumingMemoryBound(to: UInt8.self)
            return crypto_secretbox_open_detached(p, p, tag, UInt64(box.count), nonce, key)
        }
        guard rc == 0 else { throw CryptoError.authenticationFailed }
    }
}
