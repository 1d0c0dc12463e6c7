import ArgumentParser

/// The flags of `sync`.
struct SyncFlags: ParsableArguments, Sendable {
    @Option(name: [.customLong("folder", withSingleDash: true), .customLong("folder")], help: "sync: the synced folder's name, the same on every device (its -localPath may differ per device).")
    var folder: String?

    @Flag(name: [.customLong("watch", withSingleDash: true), .customLong("watch")], help: "sync: keep running; sync again when a file in -localPath changes or another device published (see -poll).")
    var watch = false

    @Option(name: [.customLong("poll", withSingleDash: true), .customLong("poll")], help: "sync -watch: how often to look for other devices' changes, in seconds (default 60).")
    var poll: Double?

    @Flag(name: [.customLong("stop", withSingleDash: true), .customLong("stop")], help: "sync: stop syncing -folder on this device (your other devices stop merging its state; its snapshots stay restorable).")
    var stop = false
}
