import Foundation
import PeerStoreBackup
import PeerStoreCrypto
import PeerStoreWire

/// `-metricsFile PATH` (backup only): after the run, writes `BackupMetricsFile` for node-exporter's textfile
/// collector, atomically and durably (`SecretFile.write`: a new file never opened through a planted name, fsynced,
/// renamed over the old one), mode 0644 so the collector can read it.
struct MetricsFileWriter {
    let path: String
    let started = Date()

    /// A writer for `path`, or nil without one; `-metricsFile` with another operation than backup is a usage error.
    init?(path: String?, operation: String) throws {
        guard let path else { return nil }
        guard operation == "backup" else {
            throw BackupError(.usage, "-metricsFile is for -operation backup: leave it out of \(operation)")
        }
        self.path = path
    }

    /// Writes the file for a run that ended with `exitCode`; a failure to write is said on stderr, not fatal.
    func finish(exitCode: Int32, report: RunReport) {
        let now = Date()
        var success = report.success
        success?.timestamp = now.timeIntervalSince1970
        let file = BackupMetricsFile.after(
            run: now.timeIntervalSince1970, exitCode: exitCode, duration: now.timeIntervalSince(started),
            stored: success, previous: try? String(contentsOfFile: path, encoding: .utf8))
        do {
            try SecretFile.write(Array(file.text.utf8), to: path, mode: 0o644)
        } catch {
            Console.error("peerstore-client: could not write -metricsFile \(path): \(error) (check the folder exists and is writable)")
        }
    }
}
