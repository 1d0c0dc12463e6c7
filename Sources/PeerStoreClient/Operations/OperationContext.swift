import Foundation
import PeerStoreBackup
import PeerStoreWire

/// What an operation is given: the session (home, ring) and the flags that are its own.
struct OperationContext: Sendable {
    let session: ClientSession
    let flags: ClientFlags
    let output: Output
    /// What the run's `-metricsFile` is told.
    let report = RunReport()

    /// Runs `body` with a progress line (terminal), JSON progress lines (-json) or nothing (-quiet), stopped at the end.
    func withProgress<T>(_ verb: String, _ body: (TransferProgress) async throws -> T) async throws -> T {
        let reporter = ProgressReporter(quiet: flags.quiet, json: flags.json, verb: verb)
        do {
            let result = try await body(reporter.progress)
            await reporter.stop()
            return result
        } catch {
            await reporter.stop()
            throw error
        }
    }
}

/// The flags of the operations themselves (the session's are in `SessionOptions`).
struct ClientFlags: Sendable {
    var localPath: String?
    var filename: String?
    var filedest: String?
    /// -exclude patterns given this run (they replace the remembered ones).
    var excludes: [String] = []
    var force = false
    var noCache = false
    /// backup -skipIfUnchanged: no new snapshot when nothing changed.
    var skipIfUnchanged = false
    var json = false
    var quiet = false
    var sharing: SharingFlags
    /// Where export-identity and import-identity get the passphrase.
    var passphrase: PassphraseSource
    /// devices -forget ID.
    var forget: String?
    var sync: SyncFlags
    /// -snapshot and -include.
    var browse: BrowseFlags
    /// forget's -keep-* and -dry-run.
    var retention: RetentionFlags = RetentionFlags()
}
