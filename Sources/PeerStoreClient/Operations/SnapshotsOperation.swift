import PeerStoreBackup

/// `snapshots`: this device's snapshots, newest first; with a remembered policy, those `forget` would drop marked.
struct SnapshotsOperation: ClientOperation {
    static let name = "snapshots"
    static let help = "list this device's snapshots ([forget] marks those the remembered policy would drop)"

    func run(_ context: OperationContext) async throws -> Int32 {
        let session = context.session
        let (identity, config) = (try session.identity(), try session.config())
        let listing = try await session.withRing(config, identity) { ring in
            try await SnapshotListing.read(catalog: session.catalog(ring, identity), device: config.device, policy: config.retention)
        }
        if listing.rows.isEmpty {
            context.output.say("no snapshots of device '\(config.device)' yet")
            return 0
        }
        let widths = [14, 21, 17, 11, 12]
        func row(_ cols: [String]) -> String {
            zip(cols, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined() + cols[5]
        }
        print(row(["ID", "TIME", "DEVICE", "FILES", "SIZE", "PATH"]))
        for (id, s) in listing.rows {
            print(row([id.shortHex(), Format.date(nanoseconds: s.time), s.device, String(s.files), Format.bytes(s.bytes), s.rootPath])
                + (listing.going.contains(id) ? "  [forget]" : ""))
        }
        if listing.total > listing.rows.count {
            context.output.say("the \(listing.rows.count) newest of \(Format.count(listing.total, "snapshot")) shown")
        }
        if let policy = config.retention {
            context.output.say("\(Format.count(listing.going.count, "snapshot")) marked [forget] would go at the next `-operation forget` (\(policy.description))")
        }
        return 0
    }
}
