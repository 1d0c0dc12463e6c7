import PeerStoreBackup

/// `check`: every block of the latest snapshot (or the one `-snapshot` names) and how many nodes hold it, against the ring's replica count.
struct CheckOperation: ClientOperation {
    static let name = "check"
    static let help = "how many nodes hold each block of the latest snapshot or -snapshot ID (-json for scripts)"
    /// Every block has a copy, but some fewer than the ring's replica count.
    static let exitBelowReplicas: Int32 = 4

    func run(_ context: OperationContext) async throws -> Int32 {
        let session = context.session
        let spec = try context.flags.browse.one(for: "check")
        _ = try SnapshotSpec.parse(spec)
        let (identity, config) = (try session.identity(), try session.config())
        let report = try await session.withRing(config, identity) { ring in
            let catalog = session.catalog(ring, identity)
            let latest = try await catalog.chosen(device: config.device, spec: spec)
            let check = ReplicaCheck(catalog: catalog)
            return try await check.count(try await check.blockIDs(snapshotID: latest.id, snapshot: latest.snapshot), on: ring)
        }
        if context.flags.json {
            context.output.printJSON(CheckJSON(report))
        } else {
            let out = context.output
            out.say("\(Format.count(report.blocks, "block")) on \(Format.count(report.nodes, "node")): every block on \(report.minReplicas) to \(report.maxReplicas) nodes; \(report.missing) with no copy")
            if let target = report.replicas {
                out.say(report.belowReplicas == 0
                    ? "every block has the ring's \(target) copies"
                    : "\(Format.count(report.belowReplicas, "block")) with fewer than the ring's \(target) copies"
                        + (report.nodes + report.unreachableNodes.count < target ? " (the ring has fewer nodes than that)" : "")
                        + ": anti-entropy adds copies as nodes return or join")
            }
            for node in report.unreachableNodes { out.say("  node \(node) did not answer") }
        }
        if report.missing > 0 { return 1 }
        return report.belowReplicas > 0 ? Self.exitBelowReplicas : 0
    }
}
