import ArgumentParser
import PeerStoreBackup

/// The flags of `forget`: a restic-style policy (remembered once given) and -dry-run.
struct RetentionFlags: ParsableArguments, Sendable {
    /// A -keep-* count: a number from 0, or `unlimited`.
    struct Count: ExpressibleByArgument, Sendable {
        let value: Int
        init?(argument: String) {
            if argument == "unlimited" {
                value = RetentionPolicy.unlimited
            } else if let n = Int(argument), n >= 0 {
                value = n
            } else {
                return nil
            }
        }
    }

    @Option(name: [.customLong("keep-last", withSingleDash: true), .customLong("keep-last")], help: "forget: keep the n newest snapshots (n, or unlimited).")
    var last: Count?
    @Option(name: [.customLong("keep-hourly", withSingleDash: true), .customLong("keep-hourly")], help: "forget: keep the newest snapshot of each of the n newest hours that have one.")
    var hourly: Count?
    @Option(name: [.customLong("keep-daily", withSingleDash: true), .customLong("keep-daily")], help: "forget: the same per day (local time).")
    var daily: Count?
    @Option(name: [.customLong("keep-weekly", withSingleDash: true), .customLong("keep-weekly")], help: "forget: the same per week (Monday to Sunday).")
    var weekly: Count?
    @Option(name: [.customLong("keep-monthly", withSingleDash: true), .customLong("keep-monthly")], help: "forget: the same per month.")
    var monthly: Count?
    @Option(name: [.customLong("keep-yearly", withSingleDash: true), .customLong("keep-yearly")], help: "forget: the same per year. The -keep-* flags given are remembered as the policy.")
    var yearly: Count?

    @Flag(name: [.customLong("dry-run", withSingleDash: true), .customLong("dry-run")], help: "forget: print what would be kept and removed; prune: count what would be released; change nothing, remember nothing.")
    var dryRun = false

    @Flag(name: [.customLong("prune", withSingleDash: true), .customLong("prune")], help: "forget: prune after forgetting (as -operation prune does).")
    var prune = false

    /// The policy the flags give; nil when none is given.
    var policy: RetentionPolicy? {
        let counts = [last, hourly, daily, weekly, monthly, yearly]
        guard counts.contains(where: { $0 != nil }) else { return nil }
        let v = counts.map { $0?.value ?? 0 }
        return RetentionPolicy(last: v[0], hourly: v[1], daily: v[2], weekly: v[3], monthly: v[4], yearly: v[5])
    }

    /// The flags given that `operation` does not take (forget takes them all, prune only -dry-run), for a usage error.
    func misplaced(for operation: String) -> String? {
        switch operation {
        case ForgetOperation.name: return nil
        case PruneOperation.name: return policy != nil || prune ? "-keep-* and -prune belong to -operation forget, not prune" : nil
        default: return policy != nil || dryRun || prune ? "-keep-*, -prune and -dry-run belong to -operation forget (-dry-run to prune too), not \(operation)" : nil
        }
    }
}
