import CSodium

/// Argon2id password-based key derivation (libsodium's `crypto_pwhash`).
public enum Argon2id {
    public static let saltLength = Int(crypto_pwhash_SALTBYTES)

    /// Cost settings; `interactive` is libsodium's interactive level, `moderate` suits an identity file.
    public struct Cost: Sendable, Equatable {
        public var opsLimit: UInt64
        public var memLimit: Int
        public init(opsLimit: UInt64, memLimit: Int) {
            self.opsLimit = opsLimit
            self.memLimit = memLimit
        }
        public static let interactive = Cost(
            opsLimit: UInt64(crypto_pwhash_OPSLIMIT_INTERACTIVE), memLimit: Int(crypto_pwhash_MEMLIMIT_INTERACTIVE))
        public static let moderate = Cost(
            opsLimit: UInt64(crypto_pwhash_OPSLIMIT_MODERATE), memLimit: Int(crypto_pwhash_MEMLIMIT_MODERATE))
    }

    /// Derives `outputLength` bytes from `password` and a 16-byte `salt`.
    public static func deriveKey(
        password: [UInt8], salt: [UInt8], outputLength: Int = 32, cost: Cost = .moderate
    ) throws -> [UInt8] {
        Sodium.ready()
        guard salt.count == saltLength else { throw CryptoError(.invalidInput, "an Argon2id salt is 16 bytes") }
        var out = [UInt8](repeating: 0, count: outputLength)
        // libsodium reads `count` bytes from the pointer; a trailing zero keeps the pointer valid for an empty password.
        let chars = password.map { CChar(bitPattern: $0) } + [0]
        let rc = chars.withUnsafeBufferPointer { pc in
            crypto_pwhash(
                &out, UInt64(outputLength), pc.baseAddress!, UInt64(password.count), salt,
                cost.opsLimit, cost.memLimit, crypto_pwhash_ALG_ARGON2ID13)
        }
        guard rc == 0 else { throw CryptoError(.keyDerivationFailed, "key derivation failed (out of memory?)") }
        return out
    }
}
