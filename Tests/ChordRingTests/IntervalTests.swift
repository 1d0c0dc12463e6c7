import ChordRing
import Testing

@Suite struct IntervalTests {
    @Test func openIntervalWithoutWrap() {
        let a = id(10), b = id(20)
        #expect(id(15).isBetween(a, b))
        #expect(id(11).isBetween(a, b))
        #expect(id(19).isBetween(a, b))
        #expect(!a.isBetween(a, b))
        #expect(!b.isBetween(a, b))
        #expect(!id(9).isBetween(a, b))
        #expect(!id(21).isBetween(a, b))
        #expect(!Identifier.zero.isBetween(a, b))
        #expect(!maxID.isBetween(a, b))
    }

    @Test func openIntervalWrappingAroundZero() {
        let a = id(200, high: 0xff), b = id(5)
        #expect(maxID.isBetween(a, b))
        #expect(Identifier.zero.isBetween(a, b))
        #expect(id(4).isBetween(a, b))
        #expect(id(201, high: 0xff).isBetween(a, b))
        #expect(!a.isBetween(a, b))
        #expect(!b.isBetween(a, b))
        #expect(!id(6).isBetween(a, b))
        #expect(!id(0, high: 0x80).isBetween(a, b))
        #expect(!id(199, high: 0xff).isBetween(a, b))
        // The ends are zero and max.
        #expect(id(1).isBetween(.zero, maxID))
        #expect(!Identifier.zero.isBetween(.zero, maxID))
        #expect(!maxID.isBetween(.zero, maxID))
        #expect(!id(1).isBetween(maxID, .zero))
        #expect(!maxID.isBetween(maxID, .zero))
        #expect(!Identifier.zero.isBetween(maxID, .zero))
        #expect(Identifier.zero.isBetween(maxID, id(1)))
    }

    /// (a, a) is the whole ring except a.
    @Test func equalEndsOpen() {
        for a in [Identifier.zero, maxID, id(42), randomID()] {
            #expect(!a.isBetween(a, a))
            for x in [Identifier.zero, maxID, id(1), id(41), id(43), randomID()] where x != a {
                #expect(x.isBetween(a, a), "\(x) in (\(a), \(a))")
            }
        }
    }

    @Test func rightInclusive() {
        let a = id(10), b = id(20)
        #expect(b.isBetweenRightInclusive(a, b))
        #expect(!a.isBetweenRightInclusive(a, b))
        #expect(id(15).isBetweenRightInclusive(a, b))
        #expect(!id(21).isBetweenRightInclusive(a, b))
        // Wrapping.
        let c = id(250, high: 0xf0), d = id(3)
        #expect(d.isBetweenRightInclusive(c, d))
        #expect(!c.isBetweenRightInclusive(c, d))
        #expect(Identifier.zero.isBetweenRightInclusive(c, d))
        #expect(maxID.isBetweenRightInclusive(c, d))
        #expect(!id(4).isBetweenRightInclusive(c, d))
        #expect(maxID.isBetweenRightInclusive(.zero, maxID))
        #expect(Identifier.zero.isBetweenRightInclusive(maxID, .zero))
        #expect(!maxID.isBetweenRightInclusive(maxID, .zero))
    }

    /// (a, a] is the whole ring, a included.
    @Test func equalEndsRightInclusive() {
        for a in [Identifier.zero, maxID, id(42)] {
            for x in [a, Identifier.zero, maxID, id(1), id(43), randomID()] {
                #expect(x.isBetweenRightInclusive(a, a))
            }
        }
    }

    /// Against a reference on small numbers: x in (a, b) iff the clockwise distance from a to x is in 1 ..< distance(a, b)
    /// (distance 0 for a == b standing for the full ring).
    @Test func agreesWithModularReference() {
        let values: [UInt8] = [0, 1, 2, 127, 128, 254, 255]
        for av in values {
            for bv in values {
                for xv in values {
                    let (a, b, x) = (id(av), id(bv), id(xv))
                    let span = bv &- av == 0 ? 256 : Int(bv &- av)
                    let offset = Int(xv &- av)
                    let open = offset > 0 && offset < span
                    #expect(x.isBetween(a, b) == open, "\(xv) in (\(av), \(bv))")
                    #expect(x.isBetweenRightInclusive(a, b) == (open || xv == bv || av == bv), "\(xv) in (\(av), \(bv)]")
                }
            }
        }
    }
}
