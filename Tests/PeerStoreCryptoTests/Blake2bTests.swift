import PeerStoreCrypto
import Testing

@Suite struct Blake2bTests {
    /// RFC 7693, Appendix A: BLAKE2b-512("abc").
    @Test func rfc7693AppendixA() {
        let digest = Blake2b.hash(Array("abc".utf8), outputLength: 64)
        #expect(digest == hex("""
            ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1
            7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923
            """))
    }

    /// Keyed vectors of the BLAKE2 reference KAT (blake2b-kat.txt: key = 00 01 .. 3f, input = 00 01 .. n-1),
    /// cross-checked against Python's hashlib.blake2b (the reference C code).
    @Test func keyedReferenceVectors() {
        let key = (0..<64).map { UInt8($0) }
        #expect(Blake2b.hash([], outputLength: 64, key: key) == hex("""
            10ebb67700b1868efb4417987acf4690ae9d972fb7a590c2f02871799aaa4786
            b5e996e8f0f4eb981fc214b005f42d2ff4233499391653df7aefcbc13fc51568
            """))
        #expect(Blake2b.hash([0], outputLength: 64, key: key) == hex("""
            961f6dd1e4dd30f63901690c512e78e4b45e4742ed197c3c5e45c549fd25f2e4
            187b0bc9fe30492b16b0d0bc4ef9b0f34c7003fac09a5ef1532e69430234cebd
            """))
        #expect(Blake2b.hash((0..<255).map { UInt8($0) }, outputLength: 64, key: key) == hex("""
            142709d62e28fcccd0af97fad0f8465b971e82201dc51070faa0372aa43e9248
            4be1c1e73ba10906d5d1853db6a4106e0a7bf9800d373d6dee2d46d62ef2a461
            """))
    }

    /// BLAKE2b-256 of the empty string (the block id of an empty block), from Python's hashlib.blake2b(digest_size=32).
    @Test func emptyInput256() {
        #expect(Blake2b.hash([]) == hex("0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"))
    }

    @Test func keyChangesTheDigest() {
        let message = Array("peerstore".utf8)
        let plain = Blake2b.hash(message)
        let keyed = Blake2b.hash(message, key: [UInt8](repeating: 1, count: 32))
        let otherKey = Blake2b.hash(message, key: [UInt8](repeating: 2, count: 32))
        #expect(plain != keyed)
        #expect(keyed != otherKey)
        #expect(plain.count == 32 && keyed.count == 32)
    }

    @Test(arguments: [16, 20, 32, 48, 64])
    func outputLengthIsHonoured(length: Int) {
        #expect(Blake2b.hash(Array("x".utf8), outputLength: length).count == length)
    }

    /// Streaming in random pieces gives the one-shot digest, plain and keyed.
    @Test func streamingEqualsOneShotOverRandomSplits() {
        var rng = SystemRandomNumberGenerator()
        for round in 0..<40 {
            let length = Int.random(in: 0...5000, using: &rng)
            let data = SecureRandom.bytes(length)
            let key = round % 2 == 0 ? [] : SecureRandom.bytes(Int.random(in: 1...64, using: &rng))
            let outputLength = [32, 64, 17][round % 3]
            var hasher = Blake2b(outputLength: outputLength, key: key)
            var position = 0
            while position < data.count {
                let piece = Int.random(in: 0...min(700, data.count - position), using: &rng)
                hasher.update(Array(data[position..<position + piece]))
                position += piece
            }
            hasher.update([])  // an empty update changes nothing
            #expect(hasher.finalize() == Blake2b.hash(data, outputLength: outputLength, key: key), "round \(round)")
        }
    }

    @Test func streamingAbcMatchesRfc() {
        var hasher = Blake2b(outputLength: 64)
        hasher.update(Array("a".utf8))
        hasher.update(Array("bc".utf8))
        #expect(hasher.finalize() == Blake2b.hash(Array("abc".utf8), outputLength: 64))
    }
}
