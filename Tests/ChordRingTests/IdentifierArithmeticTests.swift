import ChordRing
import Testing

struct IdentifierArithmeticTests {
    let max = Identifier(words: (.max, .max, .max, .max))
    let one = Identifier(words: (0, 0, 0, 1))

    @Test func additionCarriesAcrossWordsAndWraps() {
        #expect(Identifier(words: (0, 0, 0, .max)).adding(one) == Identifier(words: (0, 0, 1, 0)))
        #expect(Identifier(words: (0, .max, .max, .max)).adding(one) == Identifier(words: (1, 0, 0, 0)))
        #expect(max.adding(one) == .zero)
        #expect(max.adding(max) == max.subtracting(one))
    }

    @Test func subtractionAndDistance() {
        #expect(Identifier.zero.subtracting(one) == max)
        let a = Identifier(words: (5, 0, 0, 0))
        let b = Identifier(words: (3, 7, 0, 9))
        #expect(a.subtracting(b).adding(b) == a)
        // Clockwise distance wraps at zero: from max to 1 is 2.
        #expect(max.distance(to: one) == Identifier(words: (0, 0, 0, 2)))
        #expect(a.distance(to: a) == .zero)
    }

    @Test func powersOfTwo() {
        #expect(Identifier.powerOfTwo(0) == one)
        #expect(Identifier.powerOfTwo(64) == Identifier(words: (0, 0, 1, 0)))
        #expect(Identifier.powerOfTwo(255) == Identifier(words: (1 << 63, 0, 0, 0)))
        for i in 1..<256 {
            #expect(Identifier.powerOfTwo(i - 1).adding(.powerOfTwo(i - 1)) == .powerOfTwo(i))
        }
    }
}
