import CSodium

/// X25519 key pairs and anonymous sealed boxes (libsodium's `crypto_box_seal`): anyone can seal to a public key,
/// only the holder of the secret key can open.
public struct BoxKeyPair: Sendable {
    public static let publicKeyLength = Int(crypto_box_PUBLICKEYBYTES)
    public static let secretKeyLength = Int(crypto_box_SECRETKEYBYTES)
    public static let sealOverhead = crypto_box_sealbytes()

    public let publicKey: [UInt8]
    public let secretKey: [UInt8]

    /// A new random key pair.
    public init() {
        Sodium.ready()
        var pk = [UInt8](repeating: 0, count: Self.publicKeyLength)
        var sk = [UInt8](repeating: 0, count: Self.secretKeyLength)
        _ = crypto_box_keypair(&pk, &sk)
        publicKey = pk
        secretKey = sk
    }

    /// The key pair of a stored 32-byte secret key.
    public init(secretKey: [UInt8]) throws {
        Sodium.ready()
        guard secretKey.count == Self.secretKeyLength else {
            throw CryptoError(.invalidKeyLength, "an X25519 secret key is 32 bytes")
        }
        var pk = [UInt8](repeating: 0, count: Self.publicKeyLength)
        _ = crypto_scalarmult_base(&pk, secretKey)
        publicKey = pk
        self.secretKey = secretKey
    }

    /// Seals `message` so that only the owner of `publicKey` can open it.
    public static func seal(_ message: [UInt8], to publicKey: [UInt8]) throws -> [UInt8] {
        Sodium.ready()
        guard publicKey.count == publicKeyLength else { throw CryptoError(.invalidKeyLength, "an X25519 public key is 32 bytes") }
        var out = [UInt8](repeating: 0, count: message.count + sealOverhead)
        let rc = message.withUnsafeBufferPointer { m in
            crypto_box_seal(&out, m.count == 0 ? nil : m.baseAddress, UInt64(m.count), publicKey)
        }
        guard rc == 0 else { throw CryptoError(.invalidInput, "sealing failed: the public key is not usable") }
        return out
    }

    /// Opens a sealed box addressed to this key pair.
    public func open(_ sealed: [UInt8]) throws -> [UInt8] {
        guard sealed.count >= Self.sealOverhead else { throw CryptoError.authenticationFailed }
        var out = [UInt8](repeating: 0, count: sealed.count - Self.sealOverhead)
        let rc = out.withUnsafeMutableBufferPointer { o in
            crypto_box_seal_open(o.count == 0 ? UnsafeMutablePointer<UInt8>.allocate(capacity: 1) : o.baseAddress!,
                                 sealed, UInt64(sealed.count), publicKey, secretKey)
        }
        guard rc == 0 else { throw CryptoError.authenticationFailed }
        return out
    }
}
