import Foundation

/// The live line on a terminal and the JSON progress lines, from one reading of the counters. Pure.
public enum ProgressLine {
    /// "1,234 of 20,025 files, 512.00 MiB of 1.06 GiB (47%), 95.3 MiB/s, ETA 0:06" (without totals until they are known).
    public static func text(_ r: TransferProgress.Reading, verb: String) -> String {
        var line = "\(verb) " + (r.totalFiles.map { "\(r.files) of \($0) files" } ?? "\(r.files) files")
        line += ", " + Format.bytes(r.bytes)
        if let total = r.totalBytes, total > 0 {
            line += " of \(Format.bytes(total)) (\(min(100, Int(Double(r.bytes) * 100 / Double(total))))%)"
        }
        let rate = r.seconds > 0.2 ? Double(r.bytes) / r.seconds : 0
        if rate > 0 {
            line += ", \(Format.bytes(UInt64(rate)))/s"
            if let total = r.totalBytes, total > r.bytes { line += ", ETA " + clock(Double(total - r.bytes) / rate) }
        }
        return line
    }

    /// One JSON object on one line: {"type":"progress","files":..,"bytes":..,"totalFiles":..,"totalBytes":..,"seconds":..}.
    public static func json(_ r: TransferProgress.Reading) -> String {
        var fields = ["\"type\":\"progress\"", "\"files\":\(r.files)", "\"bytes\":\(r.bytes)"]
        if let f = r.totalFiles { fields.append("\"totalFiles\":\(f)") }
        if let b = r.totalBytes { fields.append("\"totalBytes\":\(b)") }
        fields.append("\"seconds\":" + String(format: "%.2f", r.seconds))
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// m:ss, or h:mm:ss from an hour on.
    public static func clock(_ seconds: Double) -> String {
        let s = max(0, Int(seconds.rounded()))
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
