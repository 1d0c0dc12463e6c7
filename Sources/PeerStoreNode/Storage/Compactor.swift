import BlockStore
import Dispatch
import Foundation
import Logging
import Metrics

/// The node's paced background compaction (docs/retention.md part 4): every `interval` it rewrites at most one
/// segment that `plan` picks (live fraction below `-compactBelow`), off the cooperative threads, and steps aside while
/// client writes are queued, before and during the rewrite, so that backups keep the disk.
public struct Compactor: Sendable {
    public let store: BlockStore
    public let plan: CompactionPlan
    public let interval: Duration
    let logger: Logger
    /// Where the metrics go (nil: the process's bootstrapped backend).
    let metrics: (any MetricsFactory)?
    /// The longest it waits for queued writes before one entry; the writer drains a queue in milliseconds.
    static let yieldLimit: Duration = .milliseconds(250)

    public init(store: BlockStore, plan: CompactionPlan, interval: Duration, logger: Logger, metrics: (any MetricsFactory)? = nil) {
        self.store = store
        self.plan = plan
        self.interval = interval
        self.logger = logger
        self.metrics = metrics
    }

    /// Runs until cancelled; does nothing when the threshold is 0.
    public func run() async {
        guard plan.threshold > 0 else { return }
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { return }
            await once()
        }
    }

    /// One pass: waits (bounded) for queued writes, then compacts one segment if any qualifies.
    @discardableResult
    public func once() async -> BlockStore.CompactionResult? {
        for _ in 0..<20 where store.queuedWrites > 0 { try? await Task.sleep(for: .milliseconds(50)) }
        let store = self.store
        let plan = self.plan
        let outcome: Result<BlockStore.CompactionResult?, Error> = await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(returning: Result { try store.compactNext(plan, between: { Self.yieldToWrites(store) }) })
            }
        }
        let factory = metrics ?? MetricsSystem.factory
        CompactionMetrics.dead(bytes: store.segmentUsage.reduce(0) { $0 + $1.total - $1.live }, factory: factory)
        switch outcome {
        case .success(let result?):
            CompactionMetrics.compacted(bytes: result.bytesReclaimed, factory: factory)
            logger.info("compacted a segment", metadata: [
                "segment": "\(result.segment)", "reclaimed": "\(result.bytesReclaimed)", "kept": "\(result.entriesKept)"])
            return result
        case .success(nil):
            return nil
        case .failure(let error):
            logger.error("compaction failed; the segment is left as it was", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Blocks the compaction thread while client writes wait for the writer, at most `yieldLimit`.
    static func yieldToWrites(_ store: BlockStore) {
        let deadline = ContinuousClock.now + yieldLimit
        while store.queuedWrites > 0 && ContinuousClock.now < deadline { usleep(2_000) }
    }
}
