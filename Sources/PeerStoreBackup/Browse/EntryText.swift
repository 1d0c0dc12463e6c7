#if canImport(Glibc)
import Glibc
#endif

/// How `ls` and `diff` show an entry: its mode as `ls -l` does, its times, its path escaped as every path for people
/// is (`EscapedBytes`).
public enum EntryText {
    /// `drwxr-xr-x`, `-rw-r--r--`, `lrwxrwxrwx`, with `s`/`S` for set-user-id and set-group-id and `t`/`T` sticky.
    public static func mode(_ kind: TreeEntry.Kind, _ mode: UInt32) -> String {
        var out: [Character] = [kind == .directory ? "d" : kind == .symlink ? "l" : "-"]
        let special: [(UInt32, Character)] = [(0o4000, "s"), (0o2000, "s"), (0o1000, "t")]
        for who in 0..<3 {
            let bits = mode >> UInt32(6 - 3 * who)
            out.append(bits & 4 != 0 ? "r" : "-")
            out.append(bits & 2 != 0 ? "w" : "-")
            let (flag, letter) = special[who]
            switch (bits & 1 != 0, mode & flag != 0) {
            case (true, true): out.append(letter)
            case (false, true): out.append(Character(letter.uppercased()))
            case (true, false): out.append("x")
            case (false, false): out.append("-")
            }
        }
        return String(out)
    }

    /// The path for people: components escaped and joined by `/`.
    public static func path(_ components: [FileName]) -> String { components.shown }

    /// `2026-12-01 15:33:58` in local time, as `snapshots` shows times.
    public static func localTime(_ t: Timestamp) -> String {
        var seconds = time_t(t.seconds)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return format(parts, "%Y-%m-%d %H:%M:%S")
    }

    /// RFC 3339 in UTC with nanoseconds: `2026-12-01T15:33:58.123456789Z`.
    public static func rfc3339(_ t: Timestamp) -> String {
        var seconds = time_t(t.seconds)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let nanos = String(t.nanoseconds)
        return format(parts, "%Y-%m-%dT%H:%M:%S") + "." + String(repeating: "0", count: 9 - nanos.count) + nanos + "Z"
    }

    private static func format(_ parts: tm, _ pattern: String) -> String {
        var parts = parts
        var buffer = [CChar](repeating: 0, count: 64)
        let n = strftime(&buffer, buffer.count, pattern, &parts)
        return String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// One line of `ls`: mode, size, mtime, path (and ` -> target` for a link).
    public static func listing(_ item: SnapshotWalk.Item) -> String {
        let e = item.entry
        let size = String(e.size)
        var line = mode(e.kind, e.mode) + " " + String(repeating: " ", count: max(0, 12 - size.count)) + size + " "
            + localTime(e.mtime) + " " + path(item.path)
        if case .linkTarget(let target) = e.content { line += " -> " + target.description }
        return line
    }
}
