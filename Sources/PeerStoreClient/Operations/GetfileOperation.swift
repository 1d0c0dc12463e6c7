import PeerStoreBackup

/// `getfile`: one file of the latest snapshot, or (`-share TOKEN|INDEX`) the file a share grants.
struct GetfileOperation: ClientOperation {
    static let name = "getfile"
    static let help = "restore one file: -filename PATH (as backed up) -filedest OUT [-snapshot ID], or -share TOKEN|INDEX -filedest OUT"

    func run(_ context: OperationContext) async throws -> Int32 {
        let (session, flags) = (context.session, context.flags)
        guard let filedest = flags.filedest else { throw BackupError(.usage, "getfile needs -filedest OUT (where to write the file)") }
        if let share = flags.sharing.share { return try await restoreShare(share, to: filedest, context) }
        guard let filename = flags.filename else { throw BackupError(.usage, "getfile needs -filename PATH (the file as it was backed up)") }
        let spec = try flags.browse.one(for: "getfile")
        _ = try SnapshotSpec.parse(spec)
        let (identity, config) = (try session.identity(), try session.config())
        let summary = try await context.withProgress("restored") { progress in
            try await session.withRing(config, identity) { ring in
                let (id, snapshot) = try await session.catalog(ring, identity).chosen(device: config.device, spec: spec)
                return try await Restorer(client: ring, identity: identity, logger: session.logger, progress: progress, heads: session.heads,
                                          snapshotName: OperationContext.snapshotName(spec, id))
                    .restoreFile(filename, from: snapshot, to: filedest, force: flags.force)
            }
        }
        context.output.say("restored \(filename) to \(summary.destination) (\(Format.bytes(summary.bytes)) in \(Format.seconds(summary.seconds)))")
        return 0
    }

    private func restoreShare(_ share: String, to filedest: String, _ context: OperationContext) async throws -> Int32 {
        let session = context.session
        let identity = try session.identity()
        // A token is opened before the ring is asked for anything: one for someone else stops here.
        let fromToken = ShareToken.looksLikeToken(share) ? try SealedShare.open(try ShareToken.decode(share), as: identity) : nil
        let (grant, summary) = try await context.withProgress("restored") { progress in
            try await session.withRing(try session.config(), identity) { ring in
                let restore = SharedFileRestore(ring: ring, identity: identity, logger: session.logger, progress: progress)
                var found = fromToken
                if found == nil { found = try await restore.grant(share) }
                return (found!, try await restore.restore(found!, to: filedest, force: context.flags.force))
            }
        }
        let sender = try Contacts.load(from: session.home).name(of: grant.sender) ?? UserID.encode(publicKey: grant.sender)
        context.output.say("restored \(grant.shownName) from \(sender) to \(summary.destination) (\(Format.bytes(summary.bytes)) in \(Format.seconds(summary.seconds)))")
        return 0
    }
}
