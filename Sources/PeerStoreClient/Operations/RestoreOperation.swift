import PeerStoreBackup

/// `restore`: the latest snapshot (or `-snapshot ID`), or one folder or file of it (`-filename`), or what `-include`
/// patterns keep, into a new or empty folder (or over one with -force).
struct RestoreOperation: ClientOperation {
    static let name = "restore"
    static let help = "restore the latest snapshot (or -snapshot ID) into -filedest DIR; -filename DIR for one folder, -include PATTERN for some paths"

    func run(_ context: OperationContext) async throws -> Int32 {
        let (session, flags, out) = (context.session, context.flags, context.output)
        guard let filedest = flags.filedest else { throw BackupError(.usage, "restore needs -filedest DIR (a new or empty folder)") }
        let spec = try flags.browse.one(for: "restore")
        _ = try SnapshotSpec.parse(spec)
        let (identity, config) = (try session.identity(), try session.config())
        let (snapshot, summary) = try await context.withProgress("restored") { progress in
            try await session.withRing(config, identity) { ring in
                let (id, snapshot) = try await session.catalog(ring, identity).chosen(device: config.device, spec: spec)
                let summary = try await Restorer(client: ring, identity: identity, logger: session.logger, progress: progress, heads: session.heads,
                                                 snapshotName: OperationContext.snapshotName(spec, id))
                    .restore(flags.filename, from: snapshot, include: IncludeRules(patterns: flags.browse.include), to: filedest, force: flags.force)
                return (snapshot, summary)
            }
        }
        if flags.json { out.printJSON(RestoreJSON(summary)) }
        let what = flags.filename.map { "\($0) of the snapshot" } ?? "snapshot"
        out.sayUnlessJSON("restored \(what) of \(snapshot.rootPath) from \(Format.date(nanoseconds: snapshot.time)) into \(summary.destination)")
        out.sayUnlessJSON("  \(Format.count(summary.files, "file")), \(Format.count(summary.directories, "folder")), \(Format.count(summary.symlinks, "link")); \(Format.bytes(summary.bytes)) in \(Format.seconds(summary.seconds))")
        if !summary.failed.isEmpty {
            out.problem("\(Format.count(summary.failed.count, "file")) could not be restored (nothing was written for them):", listing: summary.failed)
            return 3
        }
        return 0
    }
}
