import ArgumentParser
import ChordRing
import PeerStoreBackup

/// The flags that pick snapshots and paths in them: restore, getfile, check, ls, diff.
struct BrowseFlags: ParsableArguments, Sendable {
    @Option(name: [.customLong("snapshot", withSingleDash: true), .customLong("snapshot")], help: "restore, getfile, check, ls: the snapshot to read, `latest` (the default) or its id or the start of it (-operation snapshots); diff: twice, the older first.")
    var snapshot: [String] = []

    @Option(name: [.customLong("include", withSingleDash: true), .customLong("include")], help: ArgumentHelp(
        "restore: only paths matching a glob, and the folders leading to them (repeatable; a folder that matches comes whole). Patterns as -exclude's, relative to the backed-up folder: *.txt, /docs, src/**/*.c, logs/."))
    var include: [String] = []

    /// The one `-snapshot` an operation reads (nil: the latest); given twice is a usage error.
    func one(for operation: String) throws -> String? {
        guard snapshot.count <= 1 else {
            throw BackupError(.usage, "\(operation) reads one snapshot: give -snapshot once (diff compares two)")
        }
        return snapshot.first
    }
}

extension OperationContext {
    /// How errors name the snapshot `spec` picked: "the latest snapshot" or "snapshot 1a2b3c4d".
    static func snapshotName(_ spec: String?, _ id: Identifier) -> String {
        spec == nil || spec == "latest" ? "the latest snapshot" : "snapshot \(id.shortHex())"
    }
}
