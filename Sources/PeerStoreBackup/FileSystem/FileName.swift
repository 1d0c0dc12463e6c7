/// One name in a folder as the file system holds it: bytes, which on Linux need not be UTF-8 (any byte but `/` and
/// NUL). Compared and sorted by bytes, so two names that differ only in Unicode normalisation stay two names.
public struct FileName: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }
    public init(_ string: String) { bytes = Array(string.utf8) }
    public init(stringLiteral value: String) { self.init(value) }

    /// The name as text when it is valid UTF-8.
    public var string: String? { String(validating: bytes, as: UTF8.self) }

    /// The name for people: as it is when it is UTF-8, its other bytes as `\xNN` (see `EscapedBytes`).
    public var description: String { EscapedBytes.display(bytes) }

    /// Not empty, not `.` or `..`, no `/` or NUL: a name that stays inside its folder.
    public var isSafe: Bool {
        !bytes.isEmpty && bytes != [0x2e] && bytes != [0x2e, 0x2e] && !bytes.contains(0x2f) && !bytes.contains(0)
    }

    public static func < (a: FileName, b: FileName) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }

    /// Hashes the bytes in one go (the synthesized hash feeds them one at a time, which dominated sync merges).
    public func hash(into hasher: inout Hasher) { hasher.combine(byteArray: bytes) }
}

extension Hasher {
    /// Feeds `bytes` and their count in one go (`[UInt8]`'s own hash feeds them one at a time).
    mutating func combine(byteArray bytes: [UInt8]) {
        combine(bytes.count)
        bytes.withUnsafeBytes { combine(bytes: $0) }
    }
}

extension [FileName] {
    /// A relative path for people: the names, escaped, joined by `/`.
    var shown: String { map(\.description).joined(separator: "/") }
}
