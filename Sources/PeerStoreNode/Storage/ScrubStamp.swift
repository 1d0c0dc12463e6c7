import Foundation

/// The scrub schedule's last point on disk: `<dataPath>/scrub-stamp`, 9 bytes: version 1, then unix milliseconds
/// (u64 big-endian). A missing, short or unknown file reads as no point (the schedule starts again); it is written
/// through a temporary file renamed over it, without fsync (losing it costs at most one interval).
public struct ScrubStamp: Sendable {
    public let path: String
    static let version: UInt8 = 1

    public init(dataPath: String) {
        path = dataPath + "/scrub-stamp"
    }

    public static func encode(_ millis: UInt64) -> [UInt8] {
        [version] + withUnsafeBytes(of: millis.bigEndian) { Array($0) }
    }

    /// The time in `bytes`; nil unless they are exactly a version-1 stamp.
    public static func decode(_ bytes: [UInt8]) -> UInt64? {
        guard bytes.count == 9, bytes[0] == version else { return nil }
        return bytes[1...].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    public func load() -> UInt64? {
        FileManager.default.contents(atPath: path).flatMap { Self.decode([UInt8]($0)) }
    }

    /// Writes `millis`; false if it could not (the caller logs it; the schedule then restarts at the next start).
    @discardableResult
    public func save(_ millis: UInt64) -> Bool {
        let temp = path + ".tmp"
        guard FileManager.default.createFile(atPath: temp, contents: Data(Self.encode(millis)), attributes: [.posixPermissions: 0o600])
        else { return false }
        return rename(temp, path) == 0
    }

    /// Now, in unix milliseconds.
    public static func now() -> UInt64 {
        UInt64(max(0, Date().timeIntervalSince1970 * 1000))
    }
}
