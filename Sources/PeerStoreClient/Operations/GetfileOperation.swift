import PeerStoreBackup

/// `getfile`: one file of the latest snapshot.
struct GetfileOperation: ClientOperation {
    static let name = "getfile"
    static let help = "restore one file: -filename PATH (as backed up) -filedest OUT"

    func run(_ context: OperationContext) async throws -> Int32 {
        let (session, flags) = (context.session, context.flags)
        guard let filename = flags.filename else { throw BackupError(.usage, "getfile needs -filename PATH (the file as it was backed up)") }
        guard let filedest = flags.filedest else { throw BackupError(.usage, "getfile needs -filedest OUT (where to write the file)") }
        let (identity, config) = (try session.identity(), try session.config())
        let summary = try await context.withProgress("restored") { progress in
            try await session.withRing(config, identity) { ring in
                let snapshot = try await session.catalog(ring, identity).latest(device: config.device).snapshot
                return try await Restorer(client: ring, identity: identity, logger: session.logger, progress: progress, heads: session.heads)
                    .restoreFile(filename, from: snapshot, to: filedest, force: flags.force)
            }
        }
        context.output.say("restored \(filename) to \(summary.destination) (\(Format.bytes(summary.bytes)) in \(Format.seconds(summary.seconds)))")
        return 0
    }
}
