import CSodium

extension BoxKeyPair {
    /// The X25519 key pair that belongs to an Ed25519 key pair (`crypto_sign_ed25519_sk_to_curve25519`): what a user
    /// opens shares with, so that the user id (the Ed25519 public key) alone is enough to seal to them.
    public init(convertedFrom signing: SigningKeyPair) {
        // The converted secret is a valid X25519 scalar; its public key is the converted Ed25519 public key.
        try! self.init(secretKey: X25519.secretKey(fromEd25519: signing))
    }

    /// The X25519 public key that belongs to an Ed25519 public key (`crypto_sign_ed25519_pk_to_curve25519`); throws for
    /// bytes that are not a valid Ed25519 point.
    public static func publicKey(convertedFrom ed25519PublicKey: [UInt8]) throws -> [UInt8] {
        try X25519.publicKey(fromEd25519: ed25519PublicKey)
    }
}
