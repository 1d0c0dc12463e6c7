import Foundation
import PeerStoreConcurrency
import PeerStoreWire

/// The ring view a status page shows, walked at most once every `maxAge`: page loads and JSON polls in between get
/// the same walk, and loads that arrive during a walk wait for it rather than start their own, so a busy page cannot
/// make the node flood the ring with status requests.
public actor RingViewSource {
    public typealias Walk = @Sendable () async throws -> (statuses: [NodeStatus], complete: Bool)

    private let walk: Walk
    private let clock: any MonotonicClock
    private let maxAge: Duration
    private let wallClock: @Sendable () -> Int64
    private var last: (at: Duration, view: Result<RingView, any Error>)?
    private var running: Task<Result<RingView, any Error>, Never>?

    /// A source that walks with `walk`; `wallClock` stamps each view (unix seconds).
    public init(maxAge: Duration = .seconds(2), clock: any MonotonicClock = SystemClock(),
                wallClock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }, walk: @escaping Walk) {
        self.walk = walk
        self.clock = clock
        self.maxAge = maxAge
        self.wallClock = wallClock
    }

    /// The ring walked from this node's address with a transport of its own (`RingSurvey.walk`).
    public init(walkingFrom address: PeerAddress, networkKey: NetworkKey) {
        self.init { try await RingSurvey.walk(from: address, networkKey: networkKey) }
    }

    /// The latest view, walking the ring again if the last walk is older than `maxAge`.
    public func view() async -> Result<RingView, any Error> {
        if let last, clock.now() - last.at < maxAge { return last.view }
        if let running { return await running.value }
        let walk = self.walk, stamp = wallClock
        let task = Task<Result<RingView, any Error>, Never> {
            do {
                let (statuses, complete) = try await walk()
                return .success(RingView(statuses: statuses, complete: complete, takenAt: stamp()))
            } catch {
                return .failure(error)
            }
        }
        running = task
        let result = await task.value
        running = nil
        last = (clock.now(), result)
        return result
    }
}
