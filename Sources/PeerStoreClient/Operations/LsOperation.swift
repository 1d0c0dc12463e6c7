import PeerStoreBackup

/// `ls`: a snapshot's entries (all, or what is under -filename), one per line like `ls -l`, or one JSON object each.
/// The walk reads one tree at a time and prints as it goes.
struct LsOperation: ClientOperation {
    static let name = "ls"
    static let help = "list the latest snapshot's (or -snapshot ID's) files with mode, size and mtime; -filename PATH for what is under it"

    func run(_ context: OperationContext) async throws -> Int32 {
        let (session, flags, out) = (context.session, context.flags, context.output)
        let spec = try flags.browse.one(for: "ls")
        _ = try SnapshotSpec.parse(spec)
        let (identity, config) = (try session.identity(), try session.config())
        try await session.withRing(config, identity) { ring in
            let catalog = session.catalog(ring, identity)
            let (id, snapshot) = try await catalog.chosen(device: config.device, spec: spec)
            out.sayUnlessJSON("snapshot \(id.shortHex()) of \(snapshot.rootPath) from \(Format.date(nanoseconds: snapshot.time)):")
            try await SnapshotWalk(catalog: catalog).walk(
                snapshot, under: flags.filename, named: OperationContext.snapshotName(spec, id)
            ) { item in
                if flags.json { out.printJSON(LsJSON(item)) } else { print(EntryText.listing(item)) }
            }
        }
        return 0
    }
}
