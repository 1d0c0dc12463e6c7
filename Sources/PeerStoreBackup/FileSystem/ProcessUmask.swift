import Foundation

/// The process's file mode creation mask, read once from /proc/self/status (Linux), where reading it does not change
/// it as umask(2) would for every other thread; nil where it cannot be read. The client never changes its umask, so
/// the value read at first use stays true.
enum ProcessUmask {
    static let current: UInt32? = {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Umask:") })
        else { return nil }
        return UInt32(line.dropFirst("Umask:".count).trimmingCharacters(in: .whitespaces), radix: 8)
    }()
}
