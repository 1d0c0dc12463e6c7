import PeerStoreCrypto
import Testing

@Suite struct XChaCha20Poly1305Tests {
    // draft-irtf-cfrg-xchacha-03, Appendix A.3.1.
    static let key = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f")
    static let nonce = hex("404142434445464748494a4b4c4d4e4f5051525354555657")
    static let aad = hex("50515253c0c1c2c3c4c5c6c7")
    static let plaintext = Array(
        "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it."
            .utf8)
    static let ciphertext = hex("""
        bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb
        731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452
        2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9
        21f9664c97637da9768812f615c68b13b52e
        """)
    static let tag = hex("c0875924c1c7987947deafd8780acf49")

    @Test func draftVectorA31() throws {
        let sealed = try XChaCha20Poly1305.seal(Self.plaintext, key: Self.key, nonce: Self.nonce, associatedData: Self.aad)
        #expect(sealed == Self.ciphertext + Self.tag)
        let opened = try XChaCha20Poly1305.open(sealed, key: Self.key, nonce: Self.nonce, associatedData: Self.aad)
        #expect(opened == Self.plaintext)
    }

    @Test(arguments: [0, 1, 15, 16, 17, 1000, 70_000])
    func roundTrip(length: Int) throws {
        let key = XChaCha20Poly1305.generateKey()
        let nonce = SecureRandom.bytes(XChaCha20Poly1305.nonceLength)
        let message = SecureRandom.bytes(length)
        let ad = SecureRandom.bytes(length % 40)
        let sealed = try XChaCha20Poly1305.seal(message, key: key, nonce: nonce, associatedData: ad)
        #expect(sealed.count == length + XChaCha20Poly1305.tagLength)
        #expect(try XChaCha20Poly1305.open(sealed, key: key, nonce: nonce, associatedData: ad) == message)
    }

    /// Flipping any of several bits of the ciphertext, the tag, the nonce or the associated data makes open throw.
    @Test func tamperingIsDetected() throws {
        let (key, nonce, aad) = (Self.key, Self.nonce, Self.aad)
        let sealed = Self.ciphertext + Self.tag
        let bodyBits = samplePositions(byteCount: Self.ciphertext.count)
        let tagBits = samplePositions(byteCount: Self.tag.count).map { $0 + Self.ciphertext.count * 8 }
        for bit in bodyBits + tagBits {
            #expect(throws: CryptoError.authenticationFailed, "sealed bit \(bit)") {
                try XChaCha20Poly1305.open(flipping(sealed, bit: bit), key: key, nonce: nonce, associatedData: aad)
            }
        }
        for bit in samplePositions(byteCount: nonce.count) {
            #expect(throws: CryptoError.authenticationFailed, "nonce bit \(bit)") {
                try XChaCha20Poly1305.open(sealed, key: key, nonce: flipping(nonce, bit: bit), associatedData: aad)
            }
        }
        for bit in samplePositions(byteCount: aad.count) {
            #expect(throws: CryptoError.authenticationFailed, "aad bit \(bit)") {
                try XChaCha20Poly1305.open(sealed, key: key, nonce: nonce, associatedData: flipping(aad, bit: bit))
            }
        }
        #expect(throws: CryptoError.authenticationFailed) {
            try XChaCha20Poly1305.open(sealed, key: key, nonce: nonce, associatedData: [])
        }
        #expect(throws: CryptoError.authenticationFailed) {
            try XChaCha20Poly1305.open(Array(sealed.dropLast()), key: key, nonce: nonce, associatedData: aad)
        }
        #expect(throws: CryptoError.authenticationFailed) {
            try XChaCha20Poly1305.open(Array(sealed.prefix(15)), key: key, nonce: nonce, associatedData: aad)
        }
    }

    @Test func wrongKeyFails() throws {
        let sealed = try XChaCha20Poly1305.seal(Self.plaintext, key: Self.key, nonce: Self.nonce)
        for bit in samplePositions(byteCount: Self.key.count) {
            #expect(throws: CryptoError.authenticationFailed) {
                try XChaCha20Poly1305.open(sealed, key: flipping(Self.key, bit: bit), nonce: Self.nonce)
            }
        }
        #expect(throws: CryptoError.authenticationFailed) {
            try XChaCha20Poly1305.open(sealed, key: XChaCha20Poly1305.generateKey(), nonce: Self.nonce)
        }
    }

    @Test func emptyPlaintextTagIsStillChecked() throws {
        let key = XChaCha20Poly1305.generateKey()
        let nonce = SecureRandom.bytes(24)
        let sealed = try XChaCha20Poly1305.seal([], key: key, nonce: nonce, associatedData: [1, 2, 3])
        #expect(sealed.count == 16)
        #expect(try XChaCha20Poly1305.open(sealed, key: key, nonce: nonce, associatedData: [1, 2, 3]).isEmpty)
        #expect(throws: CryptoError.authenticationFailed) {
            try XChaCha20Poly1305.open(flipping(sealed, bit: 3), key: key, nonce: nonce, associatedData: [1, 2, 3])
        }
    }

    @Test func badKeyAndNonceLengthsThrow() {
        let nonce = SecureRandom.bytes(24)
        #expect(throws: CryptoError.self) { try XChaCha20Poly1305.seal([1], key: SecureRandom.bytes(31), nonce: nonce) }
        #expect(throws: CryptoError.self) { try XChaCha20Poly1305.seal([1], key: SecureRandom.bytes(32), nonce: SecureRandom.bytes(12)) }
        #expect(throws: CryptoError.self) { try XChaCha20Poly1305.open(SecureRandom.bytes(20), key: SecureRandom.bytes(33), nonce: nonce) }
        #expect(throws: CryptoError.self) { try XChaCha20Poly1305.open(SecureRandom.bytes(20), key: SecureRandom.bytes(32), nonce: []) }
    }
}
