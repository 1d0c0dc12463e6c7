import CSodium

/// XChaCha20-Poly1305 (IETF) authenticated encryption with a 24-byte nonce and optional associated data.
public enum XChaCha20Poly1305 {
    public static let keyLength = Int(crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
    public static let nonceLength = Int(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
    public static let tagLength = Int(crypto_aead_xchacha20poly1305_ietf_ABYTES)

    /// A fresh random key.
    public static func generateKey() -> [UInt8] { SecureRandom.bytes(keyLength) }

    /// Encrypts `plaintext`; the result is ciphertext followed by a 16-byte tag.
    public static func seal(
        _ plaintext: UnsafeRawBufferPointer, key: [UInt8], nonce: [UInt8], associatedData: [UInt8] = []
    ) throws -> [UInt8] {
        Sodium.ready()
        guard key.count == keyLength else { throw CryptoError(.invalidKeyLength, "an XChaCha20-Poly1305 key is 32 bytes") }
        guard nonce.count == nonceLength else { throw CryptoError(.invalidInput, "an XChaCha20-Poly1305 nonce is 24 bytes") }
        let outCount = plaintext.count + tagLength
        return [UInt8](unsafeUninitializedCapacity: outCount) { out, initialised in
            var written: UInt64 = 0
            _ = associatedData.withUnsafeBufferPointer { ad in
                crypto_aead_xchacha20poly1305_ietf_encrypt(
                    out.baseAddress!, &written,
                    plaintext.count == 0 ? nil : plaintext.baseAddress!.assumingMemoryBound(to: UInt8.self),
                    UInt64(plaintext.count),
                    ad.count == 0 ? nil : ad.baseAddress, UInt64(ad.count),
                    nil, nonce, key)
            }
            initialised = Int(written)
        }
    }

    /// Encrypts the first `count` bytes of `buffer` in place and writes the 16-byte tag right after them; `buffer`
    /// must have room for `count + tagLength` bytes.
    public static func sealInPlace(
        _ buffer: UnsafeMutableRawBufferPointer, count: Int, key: [UInt8], nonce: [UInt8], associatedData: UnsafeRawBufferPointer
    ) throws {
        Sodium.ready()
        guard key.count == keyLength else { throw CryptoError(.invalidKeyLength, "an XChaCha20-Poly1305 key is 32 bytes") }
        guard nonce.count == nonceLength else { throw CryptoError(.invalidInput, "an XChaCha20-Poly1305 nonce is 24 bytes") }
        precondition(count >= 0 && buffer.count >= count + tagLength, "no room for the XChaCha20-Poly1305 tag")
        let bytes = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var written: UInt64 = 0
        crypto_aead_xchacha20poly1305_ietf_encrypt(
            bytes, &written, bytes, UInt64(count),
            associatedData.count == 0 ? nil : associatedData.baseAddress!.assumingMemoryBound(to: UInt8.self),
            UInt64(associatedData.count), nil, nonce, key)
    }

    public static func seal(_ plaintext: [UInt8], key: [UInt8], nonce: [UInt8], associatedData: [UInt8] = []) throws -> [UInt8] {
        try plaintext.withUnsafeBytes { try seal($0, key: key, nonce: nonce, associatedData: associatedData) }
    }

    /// Decrypts and authenticates; throws `CryptoError.authenticationFailed` if one bit was changed.
    public static func open(
        _ ciphertext: UnsafeRawBufferPointer, key: [UInt8], nonce: [UInt8], associatedData: [UInt8] = []
    ) throws -> [UInt8] {
        Sodium.ready()
        guard key.count == keyLength else { throw CryptoError(.invalidKeyLength, "an XChaCha20-Poly1305 key is 32 bytes") }
        guard nonce.count == nonceLength else { throw CryptoError(.invalidInput, "an XChaCha20-Poly1305 nonce is 24 bytes") }
        guard ciphertext.count >= tagLength else { throw CryptoError.authenticationFailed }
        var rc: Int32 = 0
        let result = [UInt8](unsafeUninitializedCapacity: max(ciphertext.count - tagLength, 1)) { out, initialised in
            var written: UInt64 = 0
            rc = associatedData.withUnsafeBufferPointer { ad in
                crypto_aead_xchacha20poly1305_ietf_decrypt(
                    out.baseAddress!, &written, nil,
                    ciphertext.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(ciphertext.count),
                    ad.count == 0 ? nil : ad.baseAddress, UInt64(ad.count),
                    nonce, key)
            }
            initialised = rc == 0 ? Int(written) : 0
        }
        guard rc == 0 else { throw CryptoError.authenticationFailed }
        return result
    }

    /// Opens `buffer` (ciphertext then tag) in place: on success its first `buffer.count - tagLength` bytes are the
    /// plaintext; on failure nothing of it is plaintext (libsodium clears what it would have decrypted).
    public static func openInPlace(
        _ buffer: UnsafeMutableRawBufferPointer, key: [UInt8], nonce: [UInt8], associatedData: [UInt8] = []
    ) throws {
        Sodium.ready()
        guard key.count == keyLength else { throw CryptoError(.invalidKeyLength, "an XChaCha20-Poly1305 key is 32 bytes") }
        guard nonce.count == nonceLength else { throw CryptoError(.invalidInput, "an XChaCha20-Poly1305 nonce is 24 bytes") }
        guard buffer.count >= tagLength else { throw CryptoError.authenticationFailed }
        let bytes = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var written: UInt64 = 0
        let rc = associatedData.withUnsafeBufferPointer { ad in
            crypto_aead_xchacha20poly1305_ietf_decrypt(
                bytes, &written, nil, bytes, UInt64(buffer.count), ad.count == 0 ? nil : ad.baseAddress, UInt64(ad.count), nonce, key)
        }
        guard rc == 0 else { throw CryptoError.authenticationFailed }
    }

    public static func open(_ ciphertext: [UInt8], key: [UInt8], nonce: [UInt8], associatedData: [UInt8] = []) throws -> [UInt8] {
        try ciphertext.withUnsafeBytes { try open($0, key: key, nonce: nonce, associatedData: associatedData) }
    }
}
