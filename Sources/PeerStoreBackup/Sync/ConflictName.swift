import PeerStoreCrypto

/// The name of a conflict copy, as Syncthing names them: `name.sync-conflict-YYYYMMDD-HHMMSS-<device>.ext`, the time
/// being the losing version's mtime (UTC) and the device the first 4 bytes (hex) of the id of the device that made it,
/// so every device picks the very same name.
public enum ConflictName {
    public static let marker = ".sync-conflict-"

    public static func make(_ name: FileName, mtime: Timestamp, device: [UInt8]) -> FileName {
        let bytes = name.bytes
        // The extension starts at the last dot, unless that dot begins the name (".bashrc" has none).
        let dot = bytes.lastIndex(of: 0x2e).flatMap { $0 > 0 ? $0 : nil }
        let stem = dot.map { Array(bytes[..<$0]) } ?? bytes
        let ext = dot.map { Array(bytes[$0...]) } ?? []
        let tag = "\(marker)\(stamp(mtime.seconds))-\(Hex.encode(device.prefix(4)))"
        return FileName(bytes: stem + Array(tag.utf8) + ext)
    }

    /// `YYYYMMDD-HHMMSS` of a Unix time, UTC (civil-from-days, no calendar library).
    static func stamp(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secs = seconds - days * 86400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(year)\(two(month))\(two(day))-\(two(secs / 3600))\(two(secs / 60 % 60))\(two(secs % 60))"
    }
}
