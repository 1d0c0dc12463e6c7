import PeerStoreBackup
import Synchronization

/// What an operation tells the run's metrics file: a backup that stored a snapshot leaves its figures here.
final class RunReport: Sendable {
    private let stored = Mutex<BackupMetricsFile.Success?>(nil)

    /// The backup stored a snapshot of `summary` (the time is set when the file is written).
    func backedUp(_ summary: BackupSummary) {
        stored.withLock {
            $0 = BackupMetricsFile.Success(timestamp: 0, files: summary.files, bytes: summary.bytes,
                                           blocksSent: summary.blocksSent, bytesSent: summary.bytesSent)
        }
    }

    /// The figures of the snapshot stored, if one was.
    var success: BackupMetricsFile.Success? { stored.withLock { $0 } }
}
