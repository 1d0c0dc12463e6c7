import Foundation

/// Human-readable sizes and counts for summaries.
public enum Format {
    public static func bytes<T: BinaryInteger>(_ n: T) -> String {
        let value = Double(n)
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var v = value
        var u = 0
        while v >= 1024 && u < units.count - 1 {
            v /= 1024
            u += 1
        }
        return u == 0 ? "\(Int(value)) B" : String(format: "%.2f %@", v, units[u])
    }

    /// A count with thousands separated by commas: 19,998.
    public static func count<T: BinaryInteger>(_ n: T) -> String {
        let digits = Array(String(n.magnitude))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// A count and its noun, singular for one: "1 file", "19,998 files".
    public static func count<T: BinaryInteger>(_ n: T, _ noun: String) -> String {
        count(n) + " " + (n == 1 ? noun : noun + "s")
    }

    public static func seconds(_ s: Double) -> String { String(format: "%.2f s", s) }

    public static func date(nanoseconds: Int64) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: Double(nanoseconds) / 1e9))
    }
}
