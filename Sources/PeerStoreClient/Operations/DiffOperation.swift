import PeerStoreBackup

/// `diff -snapshot A -snapshot B`: what B added (`+`), removed (`-`) and changed (`M`) since A, then a summary;
/// folders whose tree did not change are not read.
struct DiffOperation: ClientOperation {
    static let name = "diff"
    static let help = "what changed between two snapshots: -snapshot A -snapshot B (+ added, - removed, M changed)"

    func run(_ context: OperationContext) async throws -> Int32 {
        let (session, flags, out) = (context.session, context.flags, context.output)
        guard flags.browse.snapshot.count == 2 else {
            throw BackupError(.usage, "diff compares two snapshots: give -snapshot A -snapshot B (ids or their start, or latest)")
        }
        for spec in flags.browse.snapshot { _ = try SnapshotSpec.parse(spec) }
        let (identity, config) = (try session.identity(), try session.config())
        let summary = try await session.withRing(config, identity) { ring in
            let catalog = session.catalog(ring, identity)
            let old = try await catalog.chosen(device: config.device, spec: flags.browse.snapshot[0])
            let new = try await catalog.chosen(device: config.device, spec: flags.browse.snapshot[1])
            out.sayUnlessJSON("comparing snapshot \(old.id.shortHex()) (\(Format.date(nanoseconds: old.snapshot.time))) with \(new.id.shortHex()) (\(Format.date(nanoseconds: new.snapshot.time)))")
            return try await SnapshotDiff(catalog: catalog).compare(old: old.snapshot.rootTree, new: new.snapshot.rootTree) { line in
                if flags.json {
                    out.printJSON(DiffLineJSON(line))
                } else {
                    print(line.change.rawValue + "    " + EntryText.path(line.path) + (line.kind == .directory ? "/" : ""))
                }
            }
        }
        if flags.json {
            out.printJSON(DiffSummaryJSON(summary))
        } else {
            out.say(Self.summaryLine(summary))
        }
        return 0
    }

    /// `files: 2 added, 1 removed, 3 changed; folders: ...; links: ...; 1.00 KiB in files added, 12 B in files removed`.
    static func summaryLine(_ s: SnapshotDiff.Summary) -> String {
        let kinds: [(String, TreeEntry.Kind)] = [("files", .file), ("folders", .directory), ("links", .symlink)]
        return kinds.map { "\($0.0): \(s.count(.added, $0.1)) added, \(s.count(.removed, $0.1)) removed, \(s.count(.changed, $0.1)) changed" }
            .joined(separator: "; ") + "; \(Format.bytes(s.bytesAdded)) in files added, \(Format.bytes(s.bytesRemoved)) in files removed"
    }
}
