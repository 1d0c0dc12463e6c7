/// A per-file version vector: for each device that changed the file, how many changes it made (Syncthing's model).
/// One vector dominates another when it has seen every change the other has and more; two vectors neither of which
/// dominates the other are concurrent: changes made without seeing each other, a conflict.
public struct VersionVector: Hashable, Sendable {
    /// The most devices one vector may name (decoders refuse more).
    public static let maxDevices = 1024

    public enum Order: Equatable, Sendable {
        case equal, dominates, dominated, concurrent
    }

    /// Device id (16 bytes) -> counter; a missing device counts 0.
    public private(set) var counters: [[UInt8]: UInt64]

    public init(_ counters: [[UInt8]: UInt64] = [:]) {
        self.counters = counters.filter { $0.value > 0 }
    }

    public subscript(device: [UInt8]) -> UInt64 { counters[device] ?? 0 }

    /// This vector with one more change by `device`.
    public func incremented(_ device: [UInt8]) -> VersionVector {
        var copy = self
        copy.counters[device, default: 0] += 1
        return copy
    }

    /// The smallest vector that dominates or equals both.
    public func merged(_ other: VersionVector) -> VersionVector {
        VersionVector(counters.merging(other.counters) { max($0, $1) })
    }

    public func compare(_ other: VersionVector) -> Order {
        var greater = false
        var less = false
        for (device, a) in counters {
            let b = other[device]
            if a > b { greater = true } else if a < b { less = true }
        }
        // Counters are never 0, so a device only `other` names is one more change there.
        if !less, other.counters.contains(where: { counters[$0.key] == nil }) { less = true }
        switch (greater, less) {
        case (false, false): return .equal
        case (true, false): return .dominates
        case (false, true): return .dominated
        case (true, true): return .concurrent
        }
    }

    /// Devices in byte order, for encoding and display.
    public var sortedDevices: [[UInt8]] { counters.keys.sorted { $0.lexicographicallyPrecedes($1) } }
}
