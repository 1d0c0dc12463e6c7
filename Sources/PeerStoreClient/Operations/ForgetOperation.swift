import PeerStoreBackup

/// `forget`: applies the retention policy (the -keep-* flags, else the remembered one) to this device's history.
struct ForgetOperation: ClientOperation {
    static let name = "forget"
    static let help = "drop this device's snapshots that the -keep-last/-hourly/-daily/-weekly/-monthly/-yearly N policy does not keep (remembered; -dry-run only shows; -prune prunes after)"

    func run(_ context: OperationContext) async throws -> Int32 {
        let (session, flags, out) = (context.session, context.flags, context.output)
        let (identity, config) = (try session.identity(), try session.config())
        guard let policy = flags.retention.policy ?? config.retention else {
            throw BackupError(.usage, "no -keep-* flag given and no policy remembered: give one, for example -keep-daily 7 -keep-weekly 4 -keep-monthly 12")
        }
        try policy.check()
        let dryRun = flags.retention.dryRun
        try await session.withRing(config, identity) { ring in
            let outcome = try await ForgetRunner(catalog: session.catalog(ring, identity)).run(device: config.device, policy: policy, dryRun: dryRun)
            if !dryRun, flags.retention.policy != nil {
                // Remembered as given (not this run's -device, which forget only reads).
                var saved = try session.home.loadConfig()
                saved.retention = policy
                try session.home.save(saved)
            }
            if flags.json {
                out.printJSON(ForgetJSON(outcome, policy: policy, dryRun: dryRun))
            } else {
                say(outcome, policy: policy, dryRun: dryRun, out)
            }
            guard flags.retention.prune else { return }
            if dryRun {
                out.note("-dry-run: prune was not run (it would release what this forget would drop only after a real forget)")
            } else {
                // On the same ring: the forget's head is the one the prune reads.
                let pruned = try await PruneOperation.prune(context, ring: ring, identity: identity, device: config.device, dryRun: false)
                PruneOperation.report(pruned, out, json: flags.json)
            }
        }
        return 0
    }

    private func say(_ outcome: ForgetRunner.Outcome, policy: RetentionPolicy, dryRun: Bool, _ out: Output) {
        out.say("applying policy to device '\(outcome.device)': \(policy.description)")
        out.say("keep \(Format.count(outcome.kept.count, "snapshot")):")
        for d in outcome.kept { out.say("  " + row(d) + d.reasons.joined(separator: ", ")) }
        out.say("remove \(Format.count(outcome.removed.count, "snapshot")):")
        for d in outcome.removed { out.say("  " + row(d)) }
        if dryRun {
            out.say("dry run: nothing was changed")
        } else if outcome.written {
            out.say("forgot \(Format.count(outcome.removed.count, "snapshot")); their data stays on the ring until a prune releases it")
        } else {
            out.say("nothing to forget")
        }
    }

    private func row(_ d: RetentionPolicy.Decision) -> String {
        d.entry.id.shortHex().padding(toLength: 14, withPad: " ", startingAt: 0)
            + Format.date(nanoseconds: d.entry.time).padding(toLength: 21, withPad: " ", startingAt: 0)
    }
}

/// The `-json` report of `forget`: what is kept (with the rules that keep it) and what goes.
struct ForgetJSON: Encodable {
    struct Snapshot: Encodable {
        let id: String
        let time: String
        let reasons: [String]?
    }

    let device, policy: String
    let dryRun, written: Bool
    let keep, remove: [Snapshot]

    init(_ o: ForgetRunner.Outcome, policy p: RetentionPolicy, dryRun: Bool) {
        (device, policy, self.dryRun, written) = (o.device, p.description, dryRun, o.written)
        keep = o.kept.map { Snapshot(id: $0.entry.id.hex, time: DevicesJSON.Device.iso($0.entry.time), reasons: $0.reasons) }
        remove = o.removed.map { Snapshot(id: $0.entry.id.hex, time: DevicesJSON.Device.iso($0.entry.time), reasons: nil) }
    }
}
