import Foundation
import PeerStoreBackup
import PeerStoreWire

/// `prune`: releases the leases of what only forgotten snapshots reference, over every backup name of the user
/// (`PruneRunner`), with a live line on a terminal and a summary (-json: `PruneJSON`).
struct PruneOperation: ClientOperation {
    static let name = "prune"
    static let help = "release what only forgotten snapshots of any of your devices reference; nodes free it after their grace period (-dry-run only counts)"

    func run(_ context: OperationContext) async throws -> Int32 {
        let outcome = try await Self.prune(context, dryRun: context.flags.retention.dryRun)
        Self.report(outcome, context.output, json: context.flags.json)
        return 0
    }

    /// Runs the prune, showing its progress on stderr when that is a terminal.
    static func prune(_ context: OperationContext, dryRun: Bool) async throws -> PruneRunner.Outcome {
        let session = context.session
        let (identity, config) = (try session.identity(), try session.config())
        return try await session.withRing(config, identity) { ring in
            try await prune(context, ring: ring, identity: identity, device: config.device, dryRun: dryRun)
        }
    }

    /// The prune on a ring already open (`forget -prune`); `device` (this one's) is read even if the device list lacks it.
    static func prune(_ context: OperationContext, ring: any RingAccess, identity: Identity, device: String, dryRun: Bool) async throws
        -> PruneRunner.Outcome
    {
        let progress = PruneProgress()
        let live = !context.flags.quiet && isatty(STDERR_FILENO) == 1
        let ticker: Task<Void, Never>? = live ? Task.detached {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(500))
                if Task.isCancelled { break }
                Console.errorText("\r" + PruneProgress.text(progress.reading) + "\u{1B}[K")
            }
        } : nil
        let result: Result<PruneRunner.Outcome, any Error>
        do {
            result = .success(try await PruneRunner(catalog: context.session.catalog(ring, identity), progress: progress)
                .run(dryRun: dryRun, alsoNames: [device]))
        } catch {
            result = .failure(error)
        }
        ticker?.cancel()
        await ticker?.value
        if live { Console.errorText("\r\u{1B}[K") }
        return try result.get()
    }

    static func report(_ o: PruneRunner.Outcome, _ out: Output, json: Bool) {
        if json {
            out.printJSON(PruneJSON(o))
        } else {
            out.say("read \(Format.count(o.heads, "backup head")), \(Format.count(o.syncHeads, "sync head")) and \(Format.count(o.shares, "received share"))")
            out.say("kept \(Format.count(o.retainedBlocks, "block")) of \(Format.count(o.retainedSnapshots, "retained snapshot")); walked \(Format.count(o.forgottenSnapshots, "forgotten snapshot"))")
            let freed = "\(Format.count(o.releasedBlocks, "block")) only forgotten snapshots reference (about \(Format.bytes(o.releasedBytes)) of file data, before compression)"
            if o.dryRun {
                out.say("dry run: would release \(freed); nothing was renewed, released or changed")
            } else {
                out.say("released \(freed)" + (o.stillHeld > 0
                    ? "; \(Format.count(o.stillHeld)) of them are still leased" : "; the nodes free them after their grace period"))
                out.say("took \(Format.count(o.droppedSnapshots, "forgotten snapshot")) off the histories"
                    + (o.retiredReleased > 0 ? "; released \(Format.count(o.retiredReleased, "superseded index or sync-state piece"))" : ""))
            }
        }
        for notice in o.notices { out.note(notice) }
    }
}

/// The `-json` summary of `prune`.
struct PruneJSON: Encodable {
    var type = "prune"
    let dryRun: Bool
    let horizon: UInt64
    let heads, syncHeads, shares, retainedSnapshots, forgottenSnapshots, retainedBlocks, retainedMissing: Int
    let releasedBlocks: Int
    let releasedBytes: UInt64
    let stillHeld, unreadableForgotten, forgottenStillReferenced, unreadableShares, droppedSnapshots, retiredReleased: Int

    init(_ o: PruneRunner.Outcome) {
        (dryRun, horizon, heads, syncHeads, shares) = (o.dryRun, o.horizon, o.heads, o.syncHeads, o.shares)
        (retainedSnapshots, forgottenSnapshots, retainedBlocks, retainedMissing) = (o.retainedSnapshots, o.forgottenSnapshots, o.retainedBlocks, o.retainedMissing)
        (releasedBlocks, releasedBytes, stillHeld) = (o.releasedBlocks, o.releasedBytes, o.stillHeld)
        (unreadableForgotten, forgottenStillReferenced, unreadableShares, droppedSnapshots, retiredReleased) =
            (o.unreadableForgotten, o.forgottenStillReferenced, o.unreadableShares, o.droppedSnapshots, o.retiredReleased)
    }
}
