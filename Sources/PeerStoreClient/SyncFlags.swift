import ArgumentParser

/// The flags of `sync`.
struct SyncFlags: ParsableArguments, Sendable {
    @Option(name: [.customLong("folder", withSingleDash: true), .customLong("folder")], help: "sync: the synced folder's name, the same on every device (its -localPath may differ per device).")
    var folder: String?

    @Option(name: [.customLong("snapshot", withSingleDash: true), .customLong("snapshot")], help: "restore, getfile: an earlier snapshot (its id or the start of it, from -operation snapshots) instead of the latest.")
    var snapshot: String?
}
