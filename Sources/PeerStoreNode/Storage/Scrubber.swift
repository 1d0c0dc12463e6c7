import BlockStore
import Dispatch
import Foundation
import Logging
import Metrics

/// The node's scrubber (after Ceph's deep scrub): every `interval` a pass reads every block and current record
/// the store holds, in log order, off the cooperative threads, at most `pace` bytes a second on average, checks each
/// (block hash, record signature) and drops a damaged copy, which anti-entropy (the owner pulls what it lacks, the
/// owner pushes to replicas) or read repair then brings back from a replica. Logs counts only at info.
public struct Scrubber: Sendable {
    public let store: BlockStore
    /// Time between the end of a pass and the next; nil: off.
    public let interval: Duration?
    public let pace: ScrubPace
    let logger: Logger
    /// Where the metrics go (nil: the process's bootstrapped backend).
    let metrics: (any MetricsFactory)?
    /// Where the schedule's last point is kept (nil: nowhere, each start waits a whole interval).
    let stamp: ScrubStamp?
    /// The wall clock, unix milliseconds.
    let clock: @Sendable () -> UInt64

    public init(store: BlockStore, interval: Duration?, pace: ScrubPace, logger: Logger, metrics: (any MetricsFactory)? = nil,
                stamp: ScrubStamp? = nil, clock: @escaping @Sendable () -> UInt64 = ScrubStamp.now) {
        self.store = store
        self.interval = interval
        self.pace = pace
        self.logger = logger
        self.metrics = metrics
        self.stamp = stamp
        self.clock = clock
    }

    /// Runs passes until cancelled; does nothing when off. The first waits what is left of the interval since the
    /// last complete pass (or the first start), so that restarts do not put scrubbing off for ever.
    public func run() async {
        guard let interval else { return }
        let last = stamp?.load()
        if last == nil { save(clock()) }
        var wait = ScrubSchedule(interval: interval).delay(last: last, now: clock())
        while !Task.isCancelled {
            try? await Task.sleep(for: wait)
            if Task.isCancelled { return }
            if await pass().complete { save(clock()) }
            wait = interval
        }
    }

    private func save(_ millis: UInt64) {
        guard let stamp, !stamp.save(millis) else { return }
        logger.warning("cannot write the scrub schedule; after a restart the next pass waits a whole -scrubInterval",
                       metadata: ["file": "\(stamp.path)"])
    }

    /// One pass over what the store holds now; stops early (report not `complete`) when cancelled or the store closes.
    @discardableResult
    public func pass() async -> ScrubReport {
        let started = ContinuousClock.now
        var plan = ScrubPlan(store.scrubTargets())
        var report = ScrubReport()
        while !plan.isDone {
            if Task.isCancelled {
                report.complete = false
                break
            }
            let batch = plan.next()
            let store = self.store
            let outcome: [Result<ScrubFinding, Error>] = await withCheckedContinuation { continuation in
                DispatchQueue.global(qos: .utility).async {
                    continuation.resume(returning: batch.map { target in Result { try store.scrub(target) } })
                }
            }
            for (target, result) in zip(batch, outcome) {
                switch result {
                case .success(let finding): report.add(finding, kind: target.kind)
                case .failure(let error as BlockStoreError) where error.code == .closed: report.complete = false
                case .failure(let error):
                    report.unreadable += 1
                    logger.debug("scrub could not read an entry", metadata: ["key": "\(target.key)", "error": "\(error)"])
                }
            }
            if !report.complete { break }
            let wait = pace.delay(afterReading: report.bytes, in: ContinuousClock.now - started)
            if wait > .zero { try? await Task.sleep(for: wait) }
        }
        let elapsed = (ContinuousClock.now - started).components
        report.seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        ScrubMetrics.pass(report, factory: metrics ?? MetricsSystem.factory)
        let counts: Logger.Metadata = [
            "entries": "\(report.entries)", "bytes": "\(report.bytes)", "damagedBlocks": "\(report.damagedBlocks)",
            "damagedRecords": "\(report.damagedRecords)", "dropped": "\(report.dropped)", "unreadable": "\(report.unreadable)",
            "complete": "\(report.complete)", "seconds": "\(String(format: "%.2f", report.seconds))"]
        if report.damaged > 0 || report.unreadable > 0 {
            logger.warning("scrub pass found damaged copies; they were dropped for replicas to replace", metadata: counts)
        } else {
            logger.info("scrub pass done", metadata: counts)
        }
        return report
    }
}
