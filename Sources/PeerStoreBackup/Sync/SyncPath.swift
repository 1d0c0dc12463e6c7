import Foundation

/// A path inside a synced folder: its names from the folder down, compared by bytes (see `FileName`).
///
/// Held as one byte string, the names joined by NUL (which no name contains), because sync merges look up every path
/// of a folder several times: one hash over the bytes and one comparison instead of one per name. NUL sorts below every
/// byte of a name, so the order of the joined bytes is the order of the names compared one by one.
public struct SyncPath: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The names joined by NUL.
    public private(set) var joined: [UInt8]

    public init(_ components: [FileName]) {
        var joined: [UInt8] = []
        joined.reserveCapacity(components.reduce(components.count) { $0 + $1.bytes.count })
        for (index, name) in components.enumerated() {
            if index > 0 { joined.append(0) }
            joined += name.bytes
        }
        self.joined = joined
    }

    public init(_ shown: String) { self.init(shown.split(separator: "/").map { FileName(String($0)) }) }

    public var components: [FileName] { joined.split(separator: 0, omittingEmptySubsequences: false).map { FileName(bytes: Array($0)) } }

    public var name: FileName { FileName(bytes: Array(joined[nameStart...])) }
    public var parent: SyncPath? {
        let start = nameStart
        return start == 0 ? nil : SyncPath(joined: Array(joined[..<(start - 1)]))
    }
    public var depth: Int { joined.reduce(1) { $1 == 0 ? $0 + 1 : $0 } }

    public func replacingName(_ name: FileName) -> SyncPath { SyncPath(joined: Array(joined[..<nameStart]) + name.bytes) }
    public func appending(_ name: FileName) -> SyncPath { SyncPath(joined: joined + [0] + name.bytes) }

    /// True if `self` lies inside `ancestor` (and is not it).
    public func isInside(_ ancestor: SyncPath) -> Bool {
        joined.count > ancestor.joined.count && joined[ancestor.joined.count] == 0 && joined.starts(with: ancestor.joined)
    }

    public var description: String { components.shown }

    public static func < (a: SyncPath, b: SyncPath) -> Bool {
        a.joined.withUnsafeBufferPointer { x in
            b.joined.withUnsafeBufferPointer { y in
                let common = min(x.count, y.count)
                if common > 0, let xb = x.baseAddress, let yb = y.baseAddress {
                    let order = memcmp(xb, yb, common)
                    if order != 0 { return order < 0 }
                }
                return x.count < y.count
            }
        }
    }

    public static func == (a: SyncPath, b: SyncPath) -> Bool { a.joined == b.joined }

    public func hash(into hasher: inout Hasher) {
        joined.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    private init(joined: [UInt8]) { self.joined = joined }

    /// Where the last name begins in `joined`.
    private var nameStart: Int { (joined.lastIndex(of: 0) ?? -1) + 1 }
}
