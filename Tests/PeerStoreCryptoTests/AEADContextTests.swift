import PeerStoreCrypto
import Testing

/// The OpenSSL AEADs against published test vectors, in place and not, and refusing any change.
@Suite("AEAD contexts")
struct AEADContextTests {
    static func hex(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        var i = s.startIndex
        while i < s.endIndex {
            let j = s.index(i, offsetBy: 2)
            out.append(UInt8(s[i..<j], radix: 16)!)
            i = j
        }
        return out
    }

    static func seal(_ algorithm: AEADAlgorithm, key: [UInt8], nonce: [UInt8], aad: [UInt8], _ plain: [UInt8]) throws -> ([UInt8], [UInt8]) {
        let context = try AEADContext(algorithm, key: key, sealing: true)
        var out = [UInt8](repeating: 0, count: plain.count)
        var tag = [UInt8](repeating: 0, count: 16)
        plain.withUnsafeBytes { p in out.withUnsafeMutableBytes { o in tag.withUnsafeMutableBytes { t in
            nonce.withUnsafeBytes { n in aad.withUnsafeBytes { a in context.seal(p, into: o, tag: t, nonce: n, associatedData: a) } }
        } } }
        return (out, tag)
    }

    static func open(_ algorithm: AEADAlgorithm, key: [UInt8], nonce: [UInt8], aad: [UInt8], _ box: [UInt8], tag: [UInt8]) throws -> [UInt8] {
        let context = try AEADContext(algorithm, key: key, sealing: false)
        var out = [UInt8](repeating: 0, count: box.count)
        try box.withUnsafeBytes { b in try out.withUnsafeMutableBytes { o in try tag.withUnsafeBytes { t in
            try nonce.withUnsafeBytes { n in try aad.withUnsafeBytes { a in try context.open(b, into: o, tag: t, nonce: n, associatedData: a) } }
        } } }
        return out
    }

    /// The GCM specification's test cases 13 and 14 (AES-256, zero key and IV).
    @Test func aesGCMMatchesTheSpecificationsVectors() throws {
        let key = [UInt8](repeating: 0, count: 32), nonce = [UInt8](repeating: 0, count: 12)
        let (empty, emptyTag) = try Self.seal(.aes256GCM, key: key, nonce: nonce, aad: [], [])
        #expect(empty.isEmpty && emptyTag == Self.hex("530f8afbc74536b9a963b4f1c4cb738b"))
        let (box, tag) = try Self.seal(.aes256GCM, key: key, nonce: nonce, aad: [], [UInt8](repeating: 0, count: 16))
        #expect(box == Self.hex("cea7403d4d606b6e074ec5d3baf39d18") && tag == Self.hex("d0d1c8a799996bf0265b98b5d48ab919"))
        #expect(try Self.open(.aes256GCM, key: key, nonce: nonce, aad: [], box, tag: tag) == [UInt8](repeating: 0, count: 16))
    }

    /// RFC 8439, section 2.8.2.
    @Test func chaChaPolyMatchesRFC8439() throws {
        let key = Array(0x80...0x9F).map { UInt8($0) }
        let nonce = Self.hex("070000004041424344454647"), aad = Self.hex("50515253c0c1c2c3c4c5c6c7")
        let plain = Array("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.".utf8)
        let (box, tag) = try Self.seal(.chaCha20Poly1305, key: key, nonce: nonce, aad: aad, plain)
        #expect(Array(box.prefix(16)) == Self.hex("d31a8d34648e60db7b86afbc53ef7ec2"))
        #expect(tag == Self.hex("1ae10b594f09e26a7e902ecbd0600691"))
        #expect(try Self.open(.chaCha20Poly1305, key: key, nonce: nonce, aad: aad, box, tag: tag) == plain)
    }

    @Test(arguments: AEADAlgorithm.allCases)
    func anyChangedByteOrWrongNonceIsRefused(algorithm: AEADAlgorithm) throws {
        let key = [UInt8](repeating: 9, count: 32), nonce = [UInt8](repeating: 3, count: 12), aad: [UInt8] = [1, 2]
        let plain = (0..<100).map { UInt8($0) }
        let (box, tag) = try Self.seal(algorithm, key: key, nonce: nonce, aad: aad, plain)
        #expect(box != plain)
        for i in box.indices {
            var bad = box
            bad[i] ^= 1
            #expect(throws: CryptoError.self) { try Self.open(algorithm, key: key, nonce: nonce, aad: aad, bad, tag: tag) }
        }
        var badTag = tag
        badTag[15] ^= 0x80
        #expect(throws: CryptoError.self) { try Self.open(algorithm, key: key, nonce: nonce, aad: aad, box, tag: badTag) }
        #expect(throws: CryptoError.self) { try Self.open(algorithm, key: key, nonce: nonce, aad: [1, 3], box, tag: tag) }
        #expect(throws: CryptoError.self) { try Self.open(algorithm, key: key, nonce: [UInt8](repeating: 4, count: 12), aad: aad, box, tag: tag) }
    }

    /// One context seals many messages (only the nonce changes), in place.
    @Test(arguments: AEADAlgorithm.allCases)
    func aContextSealsManyMessagesInPlace(algorithm: AEADAlgorithm) throws {
        let key = [UInt8](repeating: 5, count: 32)
        let sealer = try AEADContext(algorithm, key: key, sealing: true)
        for n in 0..<5 {
            let nonce = [UInt8](repeating: UInt8(n), count: 12)
            let plain = [UInt8](repeating: UInt8(n + 10), count: 1000 * n)
            var buffer = plain
            var tag = [UInt8](repeating: 0, count: 16)
            buffer.withUnsafeMutableBytes { b in tag.withUnsafeMutableBytes { t in nonce.withUnsafeBytes { nn in
                sealer.seal(UnsafeRawBufferPointer(b), into: b, tag: t, nonce: nn)
            } } }
            let (expected, expectedTag) = try Self.seal(algorithm, key: key, nonce: nonce, aad: [], plain)
            #expect(buffer == expected && tag == expectedTag)
        }
    }

    @Test func sha256MatchesItsVectors() {
        #expect(SHA256Hash.hash(Array("abc".utf8)) == Self.hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
        #expect(SHA256Hash.hash([]) == Self.hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
    }

    @Test func cpuFeaturesAreReadFromCPUInfo() {
        #expect(CPUFeatures(cpuinfo: "processor\t: 0\nflags\t\t: fpu sse2 aes avx pclmulqdq sha_ni\n").hasAESInstructions)
        #expect(!CPUFeatures(cpuinfo: "processor\t: 0\nflags\t\t: fpu sse2 avx pclmulqdq\n").hasAESInstructions)
        #expect(CPUFeatures(cpuinfo: "processor\t: 0\nFeatures\t: fp asimd aes pmull sha1 sha2\n").hasAESInstructions)
        #expect(!CPUFeatures(cpuinfo: "").hasAESInstructions)
        #expect(AEADAlgorithm.preferred == .chaCha20Poly1305)  // the same blocks on every CPU
    }
}
