import PeerStoreBackup
import PeerStoreTestKit
import Testing

/// The textfile-collector summary of a backup run: Prometheus text, with the last success kept through failures.
struct BackupMetricsFileTests {
    let stored = BackupMetricsFile.Success(timestamp: 1_700_000_100.5, files: 12, bytes: 34_567, blocksSent: 7, bytesSent: 8_900)

    @Test func aSuccessfulRunNamesItsFiguresAsPrometheusText() throws {
        let file = BackupMetricsFile.after(run: 1_700_000_100.5, exitCode: 0, duration: 2.25, stored: stored, previous: nil)
        let text = try PrometheusText(file.text)
        #expect(text.value("peerstore_backup_last_run_timestamp_seconds") == 1_700_000_100.5)
        #expect(text.value("peerstore_backup_last_success_timestamp_seconds") == 1_700_000_100.5)
        #expect(text.value("peerstore_backup_last_exit_code") == 0)
        #expect(text.value("peerstore_backup_duration_seconds") == 2.25)
        #expect(text.value("peerstore_backup_files") == 12)
        #expect(text.value("peerstore_backup_bytes") == 34_567)
        #expect(text.value("peerstore_backup_blocks_sent") == 7)
        #expect(text.value("peerstore_backup_sent_bytes") == 8_900)
        #expect(text.types.values.allSatisfy { $0 == "gauge" } && text.types.count == 8)
        #expect(file.text.hasSuffix("\n") && !file.text.contains("e+"), "\(file.text)")
    }

    @Test func aFailedRunKeepsTheLastSuccess() throws {
        let good = BackupMetricsFile.after(run: 1_700_000_100.5, exitCode: 0, duration: 2, stored: stored, previous: nil)
        // A failed run's own figures (if any) do not count; the previous success stays.
        let failed = BackupMetricsFile.after(run: 1_700_086_500, exitCode: 1, duration: 0.5, stored: stored, previous: good.text)
        #expect(failed.success == stored)
        let text = try PrometheusText(failed.text)
        #expect(text.value("peerstore_backup_last_exit_code") == 1)
        #expect(text.value("peerstore_backup_last_run_timestamp_seconds") == 1_700_086_500)
        #expect(text.value("peerstore_backup_last_success_timestamp_seconds") == 1_700_000_100.5)
        #expect(text.value("peerstore_backup_files") == 12)
        // And again: a second failure still keeps it.
        let again = BackupMetricsFile.after(run: 1_700_172_900, exitCode: 1, duration: 0.5, stored: nil, previous: failed.text)
        #expect(again.success == stored)
    }

    @Test func aFailureWithNoEarlierSuccessNamesNone() throws {
        let failed = BackupMetricsFile.after(run: 1_700_000_000, exitCode: 1, duration: 1, stored: nil, previous: "garbage\n")
        #expect(failed.success == nil)
        let text = try PrometheusText(failed.text)
        #expect(text.value("peerstore_backup_last_success_timestamp_seconds") == nil)
        #expect(text.value("peerstore_backup_last_exit_code") == 1)
    }

    @Test func skippedPathsStillCountAsASuccess() {
        #expect(BackupMetricsFile.succeeded(exitCode: 3))
        #expect(!BackupMetricsFile.succeeded(exitCode: 1))
        let partial = BackupMetricsFile.after(run: 5, exitCode: 3, duration: 1, stored: stored, previous: nil)
        #expect(partial.success == stored && partial.exitCode == 3)
    }
}
