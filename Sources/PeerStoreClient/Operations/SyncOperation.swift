import PeerStoreBackup

/// `sync`: one round of syncing -localPath as -folder with this user's other devices through the ring, then exit.
struct SyncOperation: ClientOperation {
    static let name = "sync"
    static let help = "one sync round of -localPath as -folder NAME with your other devices (run it from cron); -stop stops syncing -folder here"

    func run(_ context: OperationContext) async throws -> Int32 {
        let (session, flags, out) = (context.session, context.flags, context.output)
        // Every flag is checked before anything touches the home or the ring.
        let request = try SyncRequest(flags.sync, localPath: flags.localPath, snapshots: flags.browse.snapshot)
        let (path, folder, poll): (String, String, Double?)
        switch request {
        case .stop(let name): return try await stop(context, folder: name)
        case .round(let localPath, let name): (path, folder, poll) = (localPath, name, nil)
        case .watch(let localPath, let name, let seconds): (path, folder, poll) = (localPath, name, seconds)
        }
        _ = try BackupRunner.canonicalRoot(path)
        let (identity, created) = try session.home.ensureInitialised()
        if created { out.say("created a new identity in \(session.home.path); to sync with another device, give both the same identity (copy \(session.home.identityPath), or export-identity / import-identity)") }
        var config = try session.deviceConfig()
        let lock = try BackupLock.sync(home: session.home, folder: folder)
        defer { lock.release() }
        let id = try DeviceID.ofHome(session.home)
        let snapshotDevice = SyncRunner.snapshotDevice(device: config.device, folder: folder)
        let cache = flags.noCache ? nil : FileCacheStore(home: session.home, device: snapshotDevice, keys: identity.keys)
        if let poll {
            config.peerAddr = config.peerAddr ?? ClientSession.defaultPeer
            session.rememberRing(in: &config)
            try session.home.save(config)
            try await session.withRing(config, identity) { ring in
                let runner = SyncRunner(client: ring, identity: identity, logger: session.logger, heads: session.heads)
                try await SyncWatch(runner: runner, localPath: path, folder: folder, id: id, name: config.device, cache: cache,
                                    poll: poll).run(warn: { out.note($0) }) { outcome in
                    switch outcome {
                    case .success(let summary): _ = report(summary, path: path, folder: folder, context)
                    case .failure(let error): out.note("sync round failed: \(error); trying again at the next change or poll")
                    }
                }
            }
            return 0
        }
        let summary = try await context.withProgress("synced") { progress in
            try await session.withRing(config, identity) { ring in
                try await SyncRunner(client: ring, identity: identity, logger: session.logger, progress: progress, heads: session.heads).run(
                    localPath: path, folder: folder, id: id, name: config.device, cache: cache)
            }
        }
        config.peerAddr = config.peerAddr ?? ClientSession.defaultPeer
        session.rememberRing(in: &config)
        try session.home.save(config)
        return report(summary, path: path, folder: folder, context)
    }

    /// Prints the round's summary (or its JSON); 3 if some paths could not be updated.
    private func report(_ summary: SyncSummary, path: String, folder: String, _ context: OperationContext) -> Int32 {
        let out = context.output
        if context.flags.json { out.printJSON(SyncJSON(summary)) }
        out.sayUnlessJSON("synced \(path) as folder '\(folder)' with \(Format.count(summary.devicesSeen, "other device")): snapshot \(summary.snapshotID.shortHex()) (device \(summary.snapshotDevice))")
        out.sayUnlessJSON("  \(Format.count(summary.downloaded, "update")) fetched (\(Format.bytes(summary.bytesDownloaded))), \(Format.count(summary.deleted, "delete")), \(Format.count(summary.renamed, "rename")), \(Format.count(summary.conflicts)) conflict \(summary.conflicts == 1 ? "copy" : "copies")")
        out.sayUnlessJSON("  \(Format.count(summary.scan.files, "file")) here, \(Format.count(summary.scan.filesRead, "file")) read, \(Format.count(summary.scan.blocksSent, "new block")) sent (\(Format.bytes(summary.scan.bytesSent))) in \(Format.seconds(summary.seconds))")
        for notice in summary.scan.notices { out.note("note: \(notice)") }
        if !summary.problems.isEmpty {
            out.problem("sync round done, but \(Format.count(summary.problems.count, "path")) could not be updated (the next round tries again):", listing: summary.problems)
            return 3
        }
        return 0
    }
}
