import PeerStoreBackup

/// `backup`: -localPath through the ring; what worked is remembered, so the nightly run needs no flags.
struct BackupOperation: ClientOperation {
    static let name = "backup"
    static let help = "back up -localPath through -peerAddr (both remembered for the next run)"

    func run(_ context: OperationContext) async throws -> Int32 {
        let (session, flags, out) = (context.session, context.flags, context.output)
        let (identity, created) = try session.home.ensureInitialised()
        if created { out.say("created a new identity in \(session.home.path) (keep a copy of \(session.home.identityPath) somewhere safe)") }
        var config = try session.deviceConfig()
        let lock = try BackupLock(home: session.home, device: config.device)
        defer { lock.release() }
        guard let path = flags.localPath ?? config.localPath else {
            throw BackupError(.usage, "no -localPath given and none remembered: run `peerstore-client -operation backup -localPath DIR -peerAddr :3001` once")
        }
        let (summary, renewal) = try await context.withProgress("backed up") { progress in
            try await session.withRing(config, identity) { ring in
                let summary = try await BackupRunner(client: ring, identity: identity, logger: session.logger, progress: progress, heads: session.heads).run(
                    localPath: path, device: config.device,
                    excludes: ExcludeRules(patterns: flags.excludes.isEmpty ? config.excludes ?? [] : flags.excludes),
                    cache: FileCacheStore(home: session.home, device: config.device, keys: identity.keys), reuseCache: !flags.noCache,
                    skipIfUnchanged: flags.skipIfUnchanged)
                var renewal = await LiveShareRenewal(ring: ring, identity: identity, home: session.home, logger: session.logger)
                    .renew(after: summary.snapshotID, device: config.device)
                if let note = await DeviceRegistry.registerBackup(ring: ring, identity: identity, home: session.home, device: config.device) {
                    renewal.notes.append(note)
                }
                return (summary, renewal)
            }
        }
        config.localPath = ClientSession.absolute(path)
        config.peerAddr = config.peerAddr ?? ClientSession.defaultPeer
        session.rememberRing(in: &config)
        if !flags.excludes.isEmpty { config.excludes = flags.excludes }
        try session.home.save(config)
        context.report.backedUp(summary)
        report(summary, of: config.localPath!, context)
        if renewal.posted > 0 { out.sayUnlessJSON("  shared the new version of \(Format.count(renewal.posted, "followed file")) (live shares)") }
        for note in renewal.notes { out.note("note: \(note)") }
        if !summary.skipped.isEmpty || !summary.changedWhileRead.isEmpty { return 3 }
        if !flags.json, flags.localPath != nil || session.options.peerAddr != nil {
            out.say("next time, `peerstore-client -operation backup` repeats this backup")
        }
        return 0
    }

    private func report(_ summary: BackupSummary, of path: String, _ context: OperationContext) {
        let out = context.output
        if context.flags.json { out.printJSON(BackupJSON(summary)) }
        out.sayUnlessJSON(summary.unchanged
            ? "backup of \(path) unchanged since snapshot \(summary.snapshotID.shortHex()): no new snapshot stored (-skipIfUnchanged)"
            : "backup of \(path) stored as snapshot \(summary.snapshotID.shortHex())")
        out.sayUnlessJSON("  \(Format.count(summary.files, "file")), \(Format.count(summary.directories, "folder")), \(Format.count(summary.symlinks, "link")); \(Format.bytes(summary.bytes))"
            + (summary.excluded > 0 ? "; \(Format.count(summary.excluded, "path")) excluded" : ""))
        out.sayUnlessJSON("  \(Format.count(summary.filesRead, "file")) read (\(Format.bytes(summary.bytesRead))), \(Format.count(summary.filesUnchanged, "file")) unchanged (not read)")
        out.sayUnlessJSON("  \(Format.count(summary.blocksSent, "new block")), \(Format.bytes(summary.bytesSent)) sent (\(summary.blocksOffered - summary.blocksSent) already stored) in \(Format.seconds(summary.seconds))")
        for notice in summary.notices { out.note("note: \(notice)") }
        let changed = summary.changedWhileRead
        if !changed.isEmpty {
            out.problem("backup completed, but \(Format.count(changed.count, "file")) changed while being read twice; each is stored as last read (back up again once they are settled):",
                        listing: changed, prefix: "changed while being read: ")
        }
        let skipped = summary.skipped
        if !skipped.isEmpty {
            out.problem("backup completed, but \(Format.count(skipped.count, "path")) \(skipped.count == 1 ? "was" : "were") skipped:", listing: skipped)
        }
    }
}
