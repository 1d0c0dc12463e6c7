import Foundation

/// A point in time with nanoseconds, as file systems keep it.
public struct Timestamp: Equatable, Hashable, Sendable, Comparable {
    public var seconds: Int64
    public var nanoseconds: UInt32

    public init(seconds: Int64, nanoseconds: UInt32) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool {
        (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
    }

    /// Nanoseconds since 1970 now: how snapshots, heads, shares and the device list keep times.
    public static func nowNanoseconds() -> Int64 { Int64(Date().timeIntervalSince1970 * 1e9) }
}
