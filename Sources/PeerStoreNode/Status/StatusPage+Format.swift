import Foundation
import PeerStoreWire

/// How the status page writes numbers, times and text.
extension StatusPage {
    /// The activity columns: requests in the last minute, the last repair round, uptime ("-" from older builds).
    static func activityCells(_ a: NodeActivity?) -> String {
        guard let a else { return String(repeating: "<td>-</td>", count: 4) }
        let repair: String
        if let ago = a.lastRepairAgo {
            let found = a.replicaDeficit == 0 ? "all copies in place" : "\(a.replicaDeficit) missing, \(a.repairBacklog) left"
            repair = "\(duration(ago)) ago, \(found)"
        } else {
            repair = "none yet"
        }
        return "<td>\(a.putsLastMinute)</td><td>\(a.getsLastMinute)</td><td>\(repair)</td><td>\(duration(a.uptime))</td>"
    }

    /// Seconds as people read them: 42 s, 7 min, 3 h, 2 d.
    static func duration(_ s: UInt32) -> String {
        switch s {
        case ..<120: return "\(s) s"
        case ..<7200: return "\(s / 60) min"
        case ..<172_800: return "\(s / 3600) h"
        default: return "\(s / 86400) d"
        }
    }

    /// Bytes in binary units: 812 B, 3.4 MiB.
    static func bytes(_ n: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var v = Double(n), i = 0
        while v >= 1024, i < units.count - 1 { v /= 1024; i += 1 }
        return i == 0 ? "\(n) B" : String(format: "%.1f", v) + " " + units[i]
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
