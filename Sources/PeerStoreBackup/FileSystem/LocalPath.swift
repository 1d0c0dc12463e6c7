/// A path on this machine as the file system takes it: bytes (not necessarily UTF-8), handed to system calls as they
/// are. What a backup walks and a restore creates, so a name that is not UTF-8 comes back byte for byte.
public struct LocalPath: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }
    public init(_ string: String) { bytes = Array(string.utf8) }
    public init(stringLiteral value: String) { self.init(value) }

    /// Hashes the bytes in one go, as `FileName` does: the synthesized hash feeds them one at a time, and the file
    /// cache's lookups by path made that a tenth of a no-change backup's user time.
    public func hash(into hasher: inout Hasher) { hasher.combine(byteArray: bytes) }

    /// This path with `name` below it.
    public func appending(_ name: FileName) -> LocalPath {
        var out = bytes
        if out.last != 0x2f { out.append(0x2f) }
        out += name.bytes
        return LocalPath(bytes: out)
    }

    /// The last component, and the path up to and including the `/` before it (empty for a bare name).
    var split: (folder: [UInt8], name: [UInt8]) {
        guard let slash = bytes.lastIndex(of: 0x2f) else { return ([], bytes) }
        return (Array(bytes[...slash]), Array(bytes[(slash + 1)...]))
    }

    /// The path as text when it is valid UTF-8.
    public var string: String? { String(validating: bytes, as: UTF8.self) }

    /// The path for people, other bytes as `\xNN`.
    public var description: String { EscapedBytes.display(bytes) }

    /// Calls `body` with the path as a NUL-terminated C string.
    public func withCString<T>(_ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
        try (bytes + [0]).withUnsafeBufferPointer { buffer in
            try buffer.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
        }
    }
}
