import ChordRing
import Testing

/// An identifier whose last byte is `low` and whose first byte is `high` (all others zero).
func id(_ low: UInt8, high: UInt8 = 0) -> Identifier {
    var bytes = [UInt8](repeating: 0, count: 32)
    bytes[0] = high
    bytes[31] = low
    return Identifier(bytes: bytes)!
}

func randomID() -> Identifier {
    Identifier(bytes: (0..<32).map { _ in UInt8.random(in: 0...255) })!
}

let maxID = Identifier(bytes: [UInt8](repeating: 0xff, count: 32))!

@Suite struct IdentifierTests {
    @Test func bytesRoundTrip() {
        for _ in 0..<100 {
            let bytes = (0..<32).map { _ in UInt8.random(in: 0...255) }
            let identifier = Identifier(bytes: bytes)
            #expect(identifier?.bytes == bytes)
        }
        let counting = (0..<32).map { UInt8($0) }
        let identifier = Identifier(bytes: counting)!
        #expect(identifier.words.0 == 0x0001_0203_0405_0607)
        #expect(identifier.words.3 == 0x1819_1a1b_1c1d_1e1f)
        // From a slice that does not start at index 0.
        let padded = [0xaa] + counting
        #expect(Identifier(bytes: padded[1...]) == identifier)
    }

    @Test func wrongByteCountIsNil() {
        #expect(Identifier(bytes: [UInt8](repeating: 1, count: 31)) == nil)
        #expect(Identifier(bytes: [UInt8](repeating: 1, count: 33)) == nil)
        #expect(Identifier(bytes: [UInt8]()) == nil)
    }

    @Test func hexRoundTrip() {
        for _ in 0..<100 {
            let identifier = randomID()
            #expect(identifier.hex.count == 64)
            #expect(Identifier(hex: identifier.hex) == identifier)
            #expect(Identifier(hex: identifier.hex.uppercased()) == identifier)
        }
        let counting = Identifier(bytes: (0..<32).map { UInt8($0) })!
        #expect(counting.hex == "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
        #expect(counting.shortHex() == "000102030405")
        #expect(counting.shortHex(4) == "0001")
        #expect(counting.description == counting.shortHex())
    }

    @Test func badHexIsNil() {
        let good = String(repeating: "ab", count: 32)
        #expect(Identifier(hex: good) != nil)
        #expect(Identifier(hex: String(good.dropLast())) == nil)
        #expect(Identifier(hex: good + "00") == nil)
        #expect(Identifier(hex: "g" + good.dropFirst()) == nil)
        #expect(Identifier(hex: "") == nil)
    }

    /// `<` is the lexicographic order of the 32 bytes (big-endian numeric order).
    @Test func orderingIsLexicographicByteOrder() {
        var ids = (0..<300).map { _ in randomID() }
        // Ids that differ in one word only, in each word position, and near-equal ids.
        for position in [0, 7, 8, 15, 16, 23, 24, 31] {
            var a = [UInt8](repeating: 0x80, count: 32)
            var b = a
            a[position] = 0x7f
            b[position] = 0x81
            ids += [Identifier(bytes: a)!, Identifier(bytes: b)!]
        }
        ids += [.zero, maxID, id(1), id(0, high: 1)]
        for a in ids.prefix(60) {
            for b in ids {
                #expect((a < b) == a.bytes.lexicographicallyPrecedes(b.bytes))
                #expect((a == b) == (a.bytes == b.bytes))
            }
        }
        let sorted = ids.sorted()
        #expect(sorted.map(\.bytes) == ids.map(\.bytes).sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test func hashableAgreesWithEquality() {
        let a = randomID()
        let b = Identifier(bytes: a.bytes)!
        #expect(Set([a, b]).count == 1)
        #expect(a.hashValue == b.hashValue)
        #expect(Set([id(1), id(2), id(1, high: 1), id(1)]).count == 3)
    }
}
