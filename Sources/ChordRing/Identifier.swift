/// A 256-bit identifier on the Chord ring: a node id, a block id or a record key.
///
/// Stored as four big-endian 64-bit words, so `<` is the numeric order of the 32 bytes. Ring arithmetic
/// (`isBetween`) wraps around at zero.
public struct Identifier: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let byteCount = 32

    /// Most significant word first.
    public var words: (UInt64, UInt64, UInt64, UInt64)

    public init(words: (UInt64, UInt64, UInt64, UInt64)) {
        self.words = words
    }

    /// An identifier from exactly 32 bytes; nil for any other length.
    @inlinable
    public init?<C: Collection>(bytes: C) where C.Element == UInt8 {
        guard bytes.count == Self.byteCount else { return nil }
        if let words = bytes.withContiguousStorageIfAvailable({ Self.words(fromBigEndian: UnsafeRawBufferPointer($0)) }) {
            self.words = words
            return
        }
        self.words = Array(bytes).withUnsafeBytes { Self.words(fromBigEndian: $0) }
    }

    /// Four big-endian words from 32 bytes.
    @inlinable
    static func words(fromBigEndian raw: UnsafeRawBufferPointer) -> (UInt64, UInt64, UInt64, UInt64) {
        func word(_ i: Int) -> UInt64 { UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)) }
        return (word(0), word(1), word(2), word(3))
    }

    public static let zero = Identifier(words: (0, 0, 0, 0))

    /// The 32 bytes, most significant first.
    public var bytes: [UInt8] {
        let bigEndian = (words.0.bigEndian, words.1.bigEndian, words.2.bigEndian, words.3.bigEndian)
        return withUnsafeBytes(of: bigEndian) { Array($0) }
    }

    /// Lowercase hex of all 32 bytes.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xf)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The first `length` hex digits, for tables and logs.
    public func shortHex(_ length: Int = 12) -> String { String(hex.prefix(length)) }

    public var description: String { shortHex() }

    public init?(hex: String) {
        let chars = Array(hex.utf8)
        guard chars.count == 64 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(32)
        var i = 0
        while i < 64 {
            guard let hi = Self.nibble(chars[i]), let lo = Self.nibble(chars[i + 1]) else { return nil }
            bytes.append(hi << 4 | lo)
            i += 2
        }
        self.init(bytes: bytes)
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: return nil
        }
    }

    public static func == (a: Identifier, b: Identifier) -> Bool {
        a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    public static func < (a: Identifier, b: Identifier) -> Bool {
        if a.words.0 != b.words.0 { return a.words.0 < b.words.0 }
        if a.words.1 != b.words.1 { return a.words.1 < b.words.1 }
        if a.words.2 != b.words.2 { return a.words.2 < b.words.2 }
        return a.words.3 < b.words.3
    }

    /// True when `self` lies strictly inside the ring interval (a, b), walking clockwise from `a`.
    /// With a == b the interval is the whole ring except `a`.
    public func isBetween(_ a: Identifier, _ b: Identifier) -> Bool {
        if a < b { return a < self && self < b }
        return self > a || self < b || (a == b && self != a)
    }

    /// True when `self` lies in the ring interval (a, b]. With a == b it is the whole ring.
    public func isBetweenRightInclusive(_ a: Identifier, _ b: Identifier) -> Bool {
        self == b || isBetween(a, b) || a == b
    }
}
