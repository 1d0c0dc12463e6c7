import PeerStoreBackup

/// `snapshots`: this device's snapshots, newest first.
struct SnapshotsOperation: ClientOperation {
    static let name = "snapshots"
    static let help = "list this device's snapshots"

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
        print(row(["ID", "TIME", "DEVICE", "FILES", "SIZE", "PATH"]))
        for (id, s) in list {
            print(row([id.shortHex(), Format.date(nanoseconds: s.time), s.device, String(s.files), Format.bytes(s.bytes), s.rootPath]))
        }
        return 0
    }
}
