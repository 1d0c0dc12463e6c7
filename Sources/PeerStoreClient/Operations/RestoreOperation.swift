import PeerStoreBackup

/// `restore`: the latest snapshot, into a new or empty folder (or over one with -force).
struct RestoreOperation: ClientOperation {
    static let name = "restore"
    static let help = "restore the latest snapshot into -filedest DIR"

    func run(_ context: OperationContext) async throws -> Int32 {
        let (session, flags, out) = (context.session, context.flags, context.output)
        guard let filedest = flags.filedest else { throw BackupError(.usage, "restore needs -filedest DIR (a new or empty folder)") }
        let (identity, config) = (try session.identity(), try session.config())
        let (snapshot, summary) = try await context.withProgress("restored") { progress in
            try await session.withRing(config, identity) { ring in
                let snapshot = try await session.catalog(ring, identity).chosen(device: config.device, prefix: flags.sync.snapshot).snapshot
                let summary = try await Restorer(client: ring, identity: identity, logger: session.logger, progress: progress, heads: session.heads)
                    .restoreAll(snapshot, to: filedest, force: flags.force)
                return (snapshot, summary)
            }
        }
        if flags.json { out.printJSON(RestoreJSON(summary)) }
        out.sayUnlessJSON("restored snapshot of \(snapshot.rootPath) from \(Format.date(nanoseconds: snapshot.time)) into \(summary.destination)")
        out.sayUnlessJSON("  \(Format.count(summary.files, "file")), \(Format.count(summary.directories, "folder")), \(Format.count(summary.symlinks, "link")); \(Format.bytes(summary.bytes)) in \(Format.seconds(summary.seconds))")
        if !summary.failed.isEmpty {
            out.problem("\(Format.count(summary.failed.count, "file")) could not be restored (nothing was written for them):", listing: summary.failed)
            return 3
        }
        return 0
    }
}
