import PeerStoreCrypto

/// How a share finds its way to one user: the X25519 key it is sealed to is derived from the recipient's user id (their
/// Ed25519 public key, libsodium's conversion), so a user id alone is enough, with no lookup and no record to trust on
/// first use; only the holder of the identity's Ed25519 secret can open it. (The identity's separate X25519 key is not
/// used for shares.) See the HANDBOOK's "Sharing" section.
public enum RecipientKey {
    /// The key a share to `userKey` (an Ed25519 public key) is sealed to.
    public static func sealingKey(for userKey: [UInt8]) throws -> [UInt8] {
        do {
            return try BoxKeyPair.publicKey(convertedFrom: userKey)
        } catch {
            throw BackupError(.badUserID, "the user id does not name a usable key (\(error)); ask its owner for it again")
        }
    }

    /// The key pair `identity` opens shares with.
    public static func openingKeys(of identity: Identity) -> BoxKeyPair {
        BoxKeyPair(convertedFrom: identity.signing)
    }

    /// 8 bytes a sealed share carries in the clear, so that a client can tell "not addressed to you" from "altered"
    /// without trying to open it; it names the recipient only to someone who already knows their user id.
    public static func hint(for userKey: [UInt8]) -> [UInt8] {
        Array(Blake2b.hash(Array("peerstore.v1.share.recipient".utf8) + userKey, outputLength: 16).prefix(8))
    }
}
