import PeerStoreCrypto
import Testing

@Suite struct SealedBoxTests {
    @Test(arguments: [0, 1, 32, 5000])
    func roundTrip(length: Int) throws {
        let recipient = BoxKeyPair()
        let message = SecureRandom.bytes(length)
        let sealed = try BoxKeyPair.seal(message, to: recipient.publicKey)
        #expect(sealed.count == length + BoxKeyPair.sealOverhead)
        #expect(try recipient.open(sealed) == message)
        // Sealing is randomised (ephemeral key): two seals of one message differ.
        #expect(try BoxKeyPair.seal(message, to: recipient.publicKey) != sealed)
    }

    @Test func tamperingIsDetected() throws {
        let recipient = BoxKeyPair()
        let sealed = try BoxKeyPair.seal(Array("a file key".utf8), to: recipient.publicKey)
        for bit in samplePositions(byteCount: sealed.count) + [40 * 8 + 1] {
            #expect(throws: CryptoError.authenticationFailed, "bit \(bit)") { try recipient.open(flipping(sealed, bit: bit)) }
        }
        #expect(throws: CryptoError.authenticationFailed) { try recipient.open(Array(sealed.dropLast())) }
        #expect(throws: CryptoError.authenticationFailed) { try recipient.open(Array(sealed.prefix(BoxKeyPair.sealOverhead - 1))) }
    }

    @Test func wrongRecipientCannotOpen() throws {
        let recipient = BoxKeyPair()
        let sealed = try BoxKeyPair.seal(Array("for your eyes only".utf8), to: recipient.publicKey)
        #expect(throws: CryptoError.authenticationFailed) { try BoxKeyPair().open(sealed) }
    }

    @Test func keyPairFromStoredSecretKey() throws {
        let original = BoxKeyPair()
        let restored = try BoxKeyPair(secretKey: original.secretKey)
        #expect(restored.publicKey == original.publicKey)
        let sealed = try BoxKeyPair.seal([9, 9, 9], to: original.publicKey)
        #expect(try restored.open(sealed) == [9, 9, 9])
        #expect(throws: CryptoError.self) { try BoxKeyPair(secretKey: [1, 2, 3]) }
        #expect(throws: CryptoError.self) { try BoxKeyPair.seal([1], to: [1, 2, 3]) }
    }
}
