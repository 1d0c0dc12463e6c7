import CSodium

/// Ed25519 signing keys (libsodium's `crypto_sign`, detached signatures).
public struct SigningKeyPair: Sendable {
    public static let seedLength = Int(crypto_sign_SEEDBYTES)
    public static let publicKeyLength = Int(crypto_sign_PUBLICKEYBYTES)
    public static let signatureLength = Int(crypto_sign_BYTES)

    public let publicKey: [UInt8]
    /// The 64-byte libsodium secret key (seed followed by public key).
    public let secretKey: [UInt8]

    /// The 32-byte seed this key pair is derived from: what an identity file stores.
    public var seed: [UInt8] { Array(secretKey.prefix(Self.seedLength)) }

    /// A new random key pair.
    public init() {
        self.init(uncheckedSeed: SecureRandom.bytes(Self.seedLength))
    }

    /// The key pair of a 32-byte seed.
    public init(seed: [UInt8]) throws {
        guard seed.count == Self.seedLength else { throw CryptoError(.invalidKeyLength, "an Ed25519 seed is 32 bytes") }
        self.init(uncheckedSeed: seed)
    }

    private init(uncheckedSeed seed: [UInt8]) {
        Sodium.ready()
        var pk = [UInt8](repeating: 0, count: Self.publicKeyLength)
        var sk = [UInt8](repeating: 0, count: Int(crypto_sign_SECRETKEYBYTES))
        _ = crypto_sign_seed_keypair(&pk, &sk, seed)
        publicKey = pk
        secretKey = sk
    }

    /// A detached 64-byte signature of `message`.
    public func sign(_ message: [UInt8]) -> [UInt8] {
        var sig = [UInt8](repeating: 0, count: Self.signatureLength)
        message.withUnsafeBufferPointer { m in
            _ = crypto_sign_detached(&sig, nil, m.count == 0 ? nil : m.baseAddress, UInt64(m.count), secretKey)
        }
        return sig
    }

    /// True when `signature` is a valid signature of `message` by `publicKey`.
    public static func verify(signature: [UInt8], message: [UInt8], publicKey: [UInt8]) -> Bool {
        Sodium.ready()
        guard signature.count == signatureLength, publicKey.count == publicKeyLength else { return false }
        return message.withUnsafeBufferPointer { m in
            crypto_sign_verify_detached(signature, m.count == 0 ? nil : m.baseAddress, UInt64(m.count), publicKey) == 0
        }
    }
}
