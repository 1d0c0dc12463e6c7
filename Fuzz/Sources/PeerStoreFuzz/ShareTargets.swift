import PeerStoreBackup
import PeerStoreCrypto
import PeerStoreModel

/// Shares and inbox entries, as a recipient reads them. A sealed share opens only with the recipient's key, so the
/// fuzzer seals the input to a fixed recipient here and the signed grant inside is what gets fuzzed.
enum ShareTargets {
    static let recipient = Identity(
        signing: try! SigningKeyPair(seed: [UInt8](repeating: 3, count: 32)), box: BoxKeyPair(), masterKey: [UInt8](repeating: 4, count: 32))

    /// The input sealed to `recipient` the way `SealedShare.seal` does (the plaintext is a signed grant).
    static func sealedToRecipient(_ signed: [UInt8]) -> [UInt8] {
        let key = try! RecipientKey.sealingKey(for: recipient.signing.publicKey)
        return [SealedShare.formatVersion] + RecipientKey.hint(for: recipient.signing.publicKey) + (try! BoxKeyPair.seal(signed, to: key))
    }

    /// Byte 0 picks: 0, the rest as token text; 1, the rest encoded as a token (which must decode to it unless empty or too long), then opened
    /// as a sealed share; 2, the rest as a signed grant, sealed, tokened, decoded and opened.
    static func token(_ data: [UInt8]) {
        guard let mode = data.first else { return }
        let rest = Array(data.dropFirst())
        switch mode % 3 {
        case 0:
            guard let sealed = try? ShareToken.decode(String(decoding: rest, as: UTF8.self)) else { return }
            _ = try? SealedShare.open(sealed, as: recipient)
        case 1:
            let decoded = try? ShareToken.decode(ShareToken.encode(rest))
            if !rest.isEmpty, rest.count <= SealedShare.maxLength { require(decoded == rest, "share token: a token does not decode to its bytes") }
            if let decoded { _ = try? SealedShare.open(decoded, as: recipient) }
        default:
            let sealed = sealedToRecipient(rest)
            guard let decoded = try? ShareToken.decode(ShareToken.encode(sealed)) else { return }
            _ = try? SealedShare.open(decoded, as: recipient)
        }
    }

    /// Byte 0 picks: 0, the rest as an `InboxEntry` (as a node stores and lists it; a decoded one re-encodes the same);
    /// 1, as a signed grant (`ShareGrant.verified`); 2, as a sealed share's plaintext, opened by the recipient;
    /// 3, as the sealed share an inbox entry carries.
    static func inboxEntry(_ data: [UInt8]) {
        guard let mode = data.first else { return }
        let rest = Array(data.dropFirst())
        switch mode % 4 {
        case 0:
            guard let entry = try? InboxEntry.decode(rest) else { return }
            require(entry.encoded() == rest, "inbox entry: the re-encoding differs from the input")
            _ = entry.hasValidSignature
        case 1:
            _ = try? ShareGrant.verified(rest)
        case 2:
            _ = try? SealedShare.open(sealedToRecipient(rest), as: recipient)
        default:
            _ = try? SealedShare.open(rest, as: recipient)
        }
    }
}
