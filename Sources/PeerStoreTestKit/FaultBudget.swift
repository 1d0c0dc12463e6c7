import Foundation

/// How hard a fault case tries: the short subset every `swift test` runs (`scripts/test.sh`, CI), or the long run of
/// `scripts/faults.sh` (`PEERSTORE_FAULTS=long`). Every case is bounded in count and in time either way.
public struct FaultBudget: Sendable {
    public let isLong: Bool

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        isLong = environment["PEERSTORE_FAULTS"] == "long"
    }

    /// A count: `short` in the subset, `long` on demand.
    public func runs(short: Int, long: Int) -> Int { isLong ? long : short }

    /// A time bound in seconds, likewise.
    public func seconds(short: TimeInterval, long: TimeInterval) -> TimeInterval { isLong ? long : short }
}
