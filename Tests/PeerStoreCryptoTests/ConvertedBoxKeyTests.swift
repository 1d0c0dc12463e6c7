import PeerStoreCrypto
import Testing

/// The X25519 keys derived from Ed25519 keys: anyone who knows a user's Ed25519 public key can seal to them, and only
/// the holder of the Ed25519 secret can open.
@Suite struct ConvertedBoxKeyTests {
    @Test func sealToTheConvertedPublicKeyOpensWithTheConvertedPair() throws {
        let signing = SigningKeyPair()
        let recipient = BoxKeyPair(convertedFrom: signing)
        #expect(try BoxKeyPair.publicKey(convertedFrom: signing.publicKey) == recipient.publicKey)
        let sealed = try BoxKeyPair.seal(Array("a share".utf8), to: try BoxKeyPair.publicKey(convertedFrom: signing.publicKey))
        #expect(try recipient.open(sealed) == Array("a share".utf8))
        #expect(throws: CryptoError.authenticationFailed) { try BoxKeyPair(convertedFrom: SigningKeyPair()).open(sealed) }
    }

    @Test func theConversionIsStableForOneSeed() throws {
        let seed = SecureRandom.bytes(32)
        let a = BoxKeyPair(convertedFrom: try SigningKeyPair(seed: seed))
        let b = BoxKeyPair(convertedFrom: try SigningKeyPair(seed: seed))
        #expect(a.publicKey == b.publicKey && a.secretKey == b.secretKey)
        #expect(a.publicKey != (try SigningKeyPair(seed: seed)).publicKey)
    }

    @Test func aKeyThatIsNoPointIsRefused() {
        // The neutral point (y = 1): of small order, which libsodium refuses to convert.
        var bad = [UInt8](repeating: 0, count: 32)
        bad[0] = 1
        #expect(throws: CryptoError.self) { try BoxKeyPair.publicKey(convertedFrom: bad) }
        #expect(throws: CryptoError.self) { try BoxKeyPair.publicKey(convertedFrom: [1, 2, 3]) }
    }
}
