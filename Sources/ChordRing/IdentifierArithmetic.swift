/// Arithmetic modulo 2^256 on identifiers: finger starts and clockwise distances.
extension Identifier {
    /// self + other (mod 2^256).
    public func adding(_ other: Identifier) -> Identifier {
        let (w3, c3) = words.3.addingReportingOverflow(other.words.3)
        var (w2, c2) = words.2.addingReportingOverflow(other.words.2)
        var c2b = false
        if c3 { (w2, c2b) = w2.addingReportingOverflow(1) }
        var (w1, c1) = words.1.addingReportingOverflow(other.words.1)
        var c1b = false
        if c2 || c2b { (w1, c1b) = w1.addingReportingOverflow(1) }
        var w0 = words.0 &+ other.words.0
        if c1 || c1b { w0 = w0 &+ 1 }
        return Identifier(words: (w0, w1, w2, w3))
    }

    /// self - other (mod 2^256).
    public func subtracting(_ other: Identifier) -> Identifier {
        adding(other.negated)
    }

    /// -self (mod 2^256): the two's complement.
    var negated: Identifier {
        Identifier(words: (~words.0, ~words.1, ~words.2, ~words.3)).adding(Identifier(words: (0, 0, 0, 1)))
    }

    /// 2^exponent for exponent in 0..<256.
    public static func powerOfTwo(_ exponent: Int) -> Identifier {
        precondition((0..<256).contains(exponent), "exponent out of range")
        let word = 3 - exponent / 64
        let bit = UInt64(1) << UInt64(exponent % 64)
        var w: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        switch word {
        case 0: w.0 = bit
        case 1: w.1 = bit
        case 2: w.2 = bit
        default: w.3 = bit
        }
        return Identifier(words: w)
    }

    /// The clockwise distance from self to `other` on the ring.
    public func distance(to other: Identifier) -> Identifier {
        other.subtracting(self)
    }
}
