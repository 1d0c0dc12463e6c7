import Foundation

/// Counters a prune updates as it goes, read by whoever shows progress (a live line on a terminal). Thread-safe.
public final class PruneProgress: @unchecked Sendable {
    /// What a prune is doing.
    public enum Phase: String, Sendable {
        case reading = "reading heads"
        case walkingRetained = "walking retained snapshots"
        case walkingForgotten = "walking forgotten snapshots"
        case renewing = "renewing leases"
        case releasing = "releasing"
        case dropping = "dropping released snapshots"
    }

    /// One reading of the counters.
    public struct Reading: Sendable, Equatable {
        public var phase: Phase = .reading
        /// Block ids found so far (retained and forgotten), trees read.
        public var blocks = 0
        public var trees = 0
        /// Ids sent in renewals and releases so far, and how many the phase has in all.
        public var sent = 0
        public var toSend = 0
        public var seconds: Double = 0
    }

    private let lock = NSLock()
    private var state = Reading()
    private let started = Date()

    public init() {}

    func enter(_ phase: Phase, toSend: Int = 0) {
        locked {
            $0.phase = phase
            $0.sent = 0
            $0.toSend = toSend
        }
    }

    func addBlocks(_ n: Int) { locked { $0.blocks += n } }
    func treeDone() { locked { $0.trees += 1 } }
    func sent(_ n: Int) { locked { $0.sent += n } }

    private func locked(_ change: (inout Reading) -> Void) {
        lock.lock()
        change(&state)
        lock.unlock()
    }

    public var reading: Reading {
        lock.lock()
        var r = state
        lock.unlock()
        r.seconds = Date().timeIntervalSince(started)
        return r
    }

    /// "prune: walking retained snapshots, 12,345 blocks, 310 folders, 0:04" or "prune: renewing leases, 2,048 of
    /// 12,345 blocks, 0:05". Pure.
    public static func text(_ r: Reading) -> String {
        let counts = r.toSend > 0
            ? "\(Format.count(r.sent)) of \(Format.count(r.toSend, "block"))"
            : "\(Format.count(r.blocks, "block")), \(Format.count(r.trees, "folder"))"
        return "prune: \(r.phase.rawValue), \(counts), \(ProgressLine.clock(r.seconds))"
    }
}
