/// The summary a backup run leaves for node-exporter's textfile collector (`-metricsFile`), in Prometheus text
/// format: when it last ran, with what exit code and for how long, and when it last succeeded with what it stored.
/// A failed run keeps the last success's time and figures from the previous file, so an alert on a stale success
/// time or a non-zero exit code fires. Pure: the caller reads the old file and writes the new one.
public struct BackupMetricsFile: Sendable, Equatable {
    /// What the last successful run stored.
    public struct Success: Sendable, Equatable {
        /// Seconds since 1970 at which it ended.
        public var timestamp: Double
        public var files: Int
        public var bytes: UInt64
        public var blocksSent: Int
        public var bytesSent: Int

        public init(timestamp: Double, files: Int, bytes: UInt64, blocksSent: Int, bytesSent: Int) {
            self.timestamp = timestamp
            self.files = files
            self.bytes = bytes
            self.blocksSent = blocksSent
            self.bytesSent = bytesSent
        }
    }

    /// Seconds since 1970 at which the last run ended.
    public var lastRun: Double
    public var exitCode: Int32
    /// Seconds the last run took.
    public var duration: Double
    /// The last successful run (nil: none yet).
    public var success: Success?

    public init(lastRun: Double, exitCode: Int32, duration: Double, success: Success?) {
        self.lastRun = lastRun
        self.exitCode = exitCode
        self.duration = duration
        self.success = success
    }

    /// Whether a run that ended with `exitCode` stored a snapshot: 0, or 3 (done, some paths skipped).
    public static func succeeded(exitCode: Int32) -> Bool { exitCode == 0 || exitCode == 3 }

    /// A finished run: `stored` (what it stored) counts when the exit code says it succeeded; otherwise the last
    /// success is the one `previous` (the old file's text) names.
    public static func after(run lastRun: Double, exitCode: Int32, duration: Double, stored: Success?,
                             previous: String?) -> BackupMetricsFile {
        let own = succeeded(exitCode: exitCode) ? stored : nil
        return BackupMetricsFile(lastRun: lastRun, exitCode: exitCode, duration: duration,
                                 success: own ?? previous.flatMap(Self.lastSuccess(in:)))
    }

    /// The text of the file.
    public var text: String {
        var lines: [String] = []
        func add(_ name: String, _ type: String, _ help: String, _ value: String) {
            lines += ["# HELP \(name) \(help)", "# TYPE \(name) \(type)", "\(name) \(value)"]
        }
        add("peerstore_backup_last_run_timestamp_seconds", "gauge", "When the last backup run ended.", Self.number(lastRun))
        add("peerstore_backup_last_exit_code", "gauge", "Exit code of the last backup run (0: done; 3: done, some paths skipped).", "\(exitCode)")
        add("peerstore_backup_duration_seconds", "gauge", "Seconds the last backup run took.", Self.number(duration))
        if let success {
            add("peerstore_backup_last_success_timestamp_seconds", "gauge", "When the last successful backup ended.", Self.number(success.timestamp))
            add("peerstore_backup_files", "gauge", "Files in the last successful backup.", "\(success.files)")
            add("peerstore_backup_bytes", "gauge", "Bytes of the files in the last successful backup.", "\(success.bytes)")
            add("peerstore_backup_blocks_sent", "gauge", "New blocks the last successful backup stored.", "\(success.blocksSent)")
            add("peerstore_backup_sent_bytes", "gauge", "Bytes of the new blocks the last successful backup stored.", "\(success.bytesSent)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The last success a file's text names (nil if it names none or cannot be read).
    public static func lastSuccess(in text: String) -> Success? {
        var values: [Substring: Substring] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            if parts.count == 2 { values[parts[0]] = parts[1] }
        }
        guard let timestamp = values["peerstore_backup_last_success_timestamp_seconds"].flatMap({ Double($0) }) else { return nil }
        return Success(timestamp: timestamp, files: values["peerstore_backup_files"].flatMap { Int($0) } ?? 0,
                       bytes: values["peerstore_backup_bytes"].flatMap { UInt64($0) } ?? 0,
                       blocksSent: values["peerstore_backup_blocks_sent"].flatMap { Int($0) } ?? 0,
                       bytesSent: values["peerstore_backup_sent_bytes"].flatMap { Int($0) } ?? 0)
    }

    /// A number as Prometheus reads it: milliseconds kept, no exponent.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let millis = (value * 1000).rounded()
        let whole = Int64(millis / 1000)
        let fraction = Int64(abs(millis.truncatingRemainder(dividingBy: 1000)))
        let sign = millis < 0 && whole == 0 ? "-" : ""
        return fraction == 0 ? "\(sign)\(whole)" : "\(sign)\(whole)." + String(String(fraction + 1000).dropFirst())
    }
}
