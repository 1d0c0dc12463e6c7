import CSodium

/// X25519 Diffie-Hellman and the Ed25519 -> X25519 key conversions the Secret Handshake needs.
public enum X25519 {
    public static let keyLength = Int(crypto_scalarmult_BYTES)

    /// A fresh ephemeral key pair (public, secret).
    public static func ephemeralKeyPair() -> (publicKey: [UInt8], secretKey: [UInt8]) {
        Sodium.ready()
        let secret = SecureRandom.bytes(keyLength)
        var pub = [UInt8](repeating: 0, count: keyLength)
        _ = crypto_scalarmult_base(&pub, secret)
        return (pub, secret)
    }

    /// The shared secret of `secretKey` and `publicKey`; throws for a low-order public key (an all-zero result).
    public static func sharedSecret(secretKey: [UInt8], publicKey: [UInt8]) throws -> [UInt8] {
        Sodium.ready()
        guard secretKey.count == keyLength, publicKey.count == keyLength else {
            throw CryptoError(.invalidKeyLength, "an X25519 key is 32 bytes")
        }
        var out = [UInt8](repeating: 0, count: keyLength)
        guard crypto_scalarmult(&out, secretKey, publicKey) == 0 else {
            throw CryptoError(.invalidInput, "the peer's key is not a usable X25519 point")
        }
        return out
    }

    /// The X25519 public key of an Ed25519 public key.
    public static func publicKey(fromEd25519 key: [UInt8]) throws -> [UInt8] {
        Sodium.ready()
        guard key.count == SigningKeyPair.publicKeyLength else { throw CryptoError(.invalidKeyLength, "an Ed25519 public key is 32 bytes") }
        var out = [UInt8](repeating: 0, count: keyLength)
        guard crypto_sign_ed25519_pk_to_curve25519(&out, key) == 0 else {
            throw CryptoError(.invalidInput, "the Ed25519 public key is not a valid point")
        }
        return out
    }

    /// The X25519 secret key of an Ed25519 key pair.
    public static func secretKey(fromEd25519 keys: SigningKeyPair) -> [UInt8] {
        Sodium.ready()
        var out = [UInt8](repeating: 0, count: keyLength)
        _ = crypto_sign_ed25519_sk_to_curve25519(&out, keys.secretKey)
        return out
    }
}
