import PeerStoreCrypto

/// A signed `ShareGrant` sealed to its recipient: the bytes an inbox entry carries and a `ShareToken` spells out.
///
/// Format (version 1): `version u8 = 1 | recipient hint 8 | crypto_box_seal(signed grant)`, sealed to the X25519 key
/// derived from the recipient's user id (`RecipientKey`). At most `maxLength` bytes.
public enum SealedShare {
    public static let formatVersion: UInt8 = 1
    public static let hintLength = 8
    /// Far above what a grant can be (names and messages are bounded), and what an inbox entry may carry.
    public static let maxLength = 3072

    /// Signs `grant` with the sender's key and seals it to `grant.recipient`.
    public static func seal(_ grant: ShareGrant, signer: SigningKeyPair) throws -> [UInt8] {
        let signed = try grant.signed(by: signer)
        let box = try BoxKeyPair.seal(signed, to: try RecipientKey.sealingKey(for: grant.recipient))
        let sealed = [formatVersion] + RecipientKey.hint(for: grant.recipient) + box
        guard sealed.count <= maxLength else { throw BackupError(.badShare, "the share would be \(sealed.count) bytes, over \(maxLength)") }
        return sealed
    }

    /// Opens a share addressed to `identity`: `notForYou` if it is sealed to someone else, `badShare` if it was
    /// altered, badly signed, or made out to another user than the one it was sealed to.
    public static func open(_ sealed: [UInt8], as identity: Identity) throws -> ShareGrant {
        guard sealed.count <= maxLength, sealed.count > 1 + hintLength + BoxKeyPair.sealOverhead else {
            throw ShareGrant.rejected("\(sealed.count) bytes is not the size of a share")
        }
        guard sealed[0] == formatVersion else {
            throw BackupError(.badShare, "the share has format version \(sealed[0]); a newer peerstore-client made it: update this one")
        }
        let me = identity.signing.publicKey
        guard Array(sealed[1...hintLength]) == RecipientKey.hint(for: me) else {
            throw BackupError(.notForYou, "this share is not addressed to you (\(identity.userID)); nothing was written")
        }
        let signed: [UInt8]
        do {
            signed = try RecipientKey.openingKeys(of: identity).open(Array(sealed[(1 + hintLength)...]))
        } catch {
            throw ShareGrant.rejected("it does not open with your key")
        }
        let grant = try ShareGrant.verified(signed)
        guard grant.recipient == me else {
            throw ShareGrant.rejected("it was made out to another user and passed on")
        }
        return grant
    }
}
