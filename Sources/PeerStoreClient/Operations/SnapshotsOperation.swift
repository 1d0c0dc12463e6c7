import PeerStoreBackup

/// `snapshots`: this device's snapshots, newest first; with a remembered policy, those `forget` would drop marked.
struct SnapshotsOperation: ClientOperation {
    static let name = "snapshots"
    static let help = "list this device's snapshots ([forget] marks those the remembered policy would drop)"

    func run(_ context: OperationContext) async throws -> Int32 {
        let session = context.session
        let (identity, config) = (try session.identity(), try session.config())
        let list = try await session.withRing(config, identity) { ring in
            try await session.catalog(ring, identity).history(device: config.device)
        }
        if list.isEmpty {
            context.output.say("no snapshots of device '\(config.device)' yet")
            return 0
        }
        let widths = [14, 21, 17, 11, 12]
        func row(_ cols: [String]) -> String {
            zip(cols, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined() + cols[5]
        }
        // With a remembered policy, the snapshots the next forget would drop are marked.
        let going = try config.retention.map { policy in
            Set(try policy.apply(to: list.map { SnapshotIndex.Entry(id: $0.id, time: $0.snapshot.time) }).dropFirst()
                .filter { !$0.kept }.map(\.entry.id))
        } ?? []
        print(row(["ID", "TIME", "DEVICE", "FILES", "SIZE", "PATH"]))
        for (id, s) in list {
            print(row([id.shortHex(), Format.date(nanoseconds: s.time), s.device, String(s.files), Format.bytes(s.bytes), s.rootPath])
                + (going.contains(id) ? "  [forget]" : ""))
        }
        if let policy = config.retention {
            context.output.say("\(Format.count(going.count, "snapshot")) marked [forget] would go at the next `-operation forget` (\(policy.description))")
        }
        return 0
    }
}
