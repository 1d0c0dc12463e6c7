import PeerStoreCrypto
import Testing

@Suite struct Ed25519Tests {
    /// RFC 8032 section 7.1, TEST 1 (empty message).
    @Test func rfc8032Test1() throws {
        let keys = try SigningKeyPair(seed: hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
        #expect(keys.publicKey == hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"))
        let expected = hex("""
            e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155
            5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b
            """)
        #expect(keys.sign([]) == expected)
        #expect(SigningKeyPair.verify(signature: expected, message: [], publicKey: keys.publicKey))
    }

    /// RFC 8032 section 7.1, TEST 2 (one byte 0x72).
    @Test func rfc8032Test2() throws {
        let keys = try SigningKeyPair(seed: hex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"))
        #expect(keys.publicKey == hex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"))
        let expected = hex("""
            92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da
            085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00
            """)
        #expect(keys.sign([0x72]) == expected)
        #expect(SigningKeyPair.verify(signature: expected, message: [0x72], publicKey: keys.publicKey))
        #expect(!SigningKeyPair.verify(signature: expected, message: [0x73], publicKey: keys.publicKey))
    }

    @Test func seedRoundTrip() throws {
        let keys = SigningKeyPair()
        #expect(keys.seed.count == 32)
        let again = try SigningKeyPair(seed: keys.seed)
        #expect(again.publicKey == keys.publicKey)
        #expect(again.secretKey == keys.secretKey)
    }

    @Test func badSeedLengthThrows() {
        #expect(throws: CryptoError.self) { try SigningKeyPair(seed: [UInt8](repeating: 0, count: 31)) }
        #expect(throws: CryptoError.self) { try SigningKeyPair(seed: [UInt8](repeating: 0, count: 33)) }
    }

    @Test func tamperedSignatureMessageOrKeyIsRejected() {
        let keys = SigningKeyPair()
        let message = Array("a signed record".utf8)
        let signature = keys.sign(message)
        #expect(SigningKeyPair.verify(signature: signature, message: message, publicKey: keys.publicKey))
        for bit in samplePositions(byteCount: signature.count) {
            #expect(!SigningKeyPair.verify(signature: flipping(signature, bit: bit), message: message, publicKey: keys.publicKey))
        }
        for bit in samplePositions(byteCount: message.count) {
            #expect(!SigningKeyPair.verify(signature: signature, message: flipping(message, bit: bit), publicKey: keys.publicKey))
        }
        #expect(!SigningKeyPair.verify(signature: signature, message: message, publicKey: SigningKeyPair().publicKey))
        #expect(!SigningKeyPair.verify(signature: Array(signature.dropLast()), message: message, publicKey: keys.publicKey))
        #expect(!SigningKeyPair.verify(signature: signature, message: message, publicKey: Array(keys.publicKey.dropLast())))
    }
}
