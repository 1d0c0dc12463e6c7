import PeerStoreCrypto
import Testing

@Suite struct HexAndConstantTimeTests {
    @Test func hexRoundTrip() {
        for length in [0, 1, 2, 31, 32, 257] {
            let bytes = SecureRandom.bytes(length)
            let text = Hex.encode(bytes)
            #expect(text.count == length * 2)
            #expect(Hex.decode(text) == bytes)
            #expect(Hex.decode(text.uppercased()) == bytes)
        }
        #expect(Hex.encode([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        #expect(Hex.decode("DEADbeef") == [0xde, 0xad, 0xbe, 0xef])
    }

    @Test func hexRejectsBadInput() {
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
        #expect(Hex.decode("0g") == nil)
        #expect(Hex.decode("é1") == nil)
        #expect(Hex.decode("") == [])
    }

    @Test func constantTimeEqual() {
        #expect(ConstantTime.equal([], []))
        #expect(ConstantTime.equal([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2]))
    }

    @Test func secureRandom() {
        #expect(SecureRandom.bytes(0).isEmpty)
        #expect(SecureRandom.bytes(32) != SecureRandom.bytes(32))
        for _ in 0..<100 { #expect(SecureRandom.uniform(7) < 7) }
    }
}
