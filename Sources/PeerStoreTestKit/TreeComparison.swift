import Foundation

/// Compares two folder trees: kinds, bytes, permission bits, mtimes to the nanosecond, and link targets.
public enum TreeComparison {
    /// Human-readable differences; empty when the trees match.
    public static func differences(_ a: String, _ b: String, compareRootMetadata: Bool = true) -> [String] {
        var out: [String] = []
        compare(a, b, relative: "", out: &out, checkMetadata: compareRootMetadata)
        return out
    }

    /// Compares one file or link (bytes, mode, mtime ns, link target).
    public static func differences(file a: String, _ b: String) -> [String] {
        var out: [String] = []
        compareEntry(a, b, relative: (a as NSString).lastPathComponent, out: &out)
        return out
    }

    private static func compare(_ a: String, _ b: String, relative: String, out: inout [String], checkMetadata: Bool) {
        let fm = FileManager.default
        let na = Set((try? fm.contentsOfDirectory(atPath: a)) ?? [])
        let nb = Set((try? fm.contentsOfDirectory(atPath: b)) ?? [])
        for missing in na.subtracting(nb) { out.append("missing in copy: \(relative)/\(missing)") }
        for extra in nb.subtracting(na) { out.append("extra in copy: \(relative)/\(extra)") }
        if checkMetadata { compareMetadata(a, b, relative: relative.isEmpty ? "." : relative, out: &out) }
        for name in na.intersection(nb).sorted() {
            compareEntry(a + "/" + name, b + "/" + name, relative: relative + "/" + name, out: &out)
        }
    }

    private static func compareEntry(_ pa: String, _ pb: String, relative: String, out: inout [String]) {
        var sa = stat()
        var sb = stat()
        guard lstat(pa, &sa) == 0, lstat(pb, &sb) == 0 else {
            out.append("cannot stat \(relative)")
            return
        }
        guard sa.st_mode & S_IFMT == sb.st_mode & S_IFMT else {
            out.append("kind differs: \(relative)")
            return
        }
        switch sa.st_mode & S_IFMT {
        case S_IFDIR:
            compare(pa, pb, relative: relative, out: &out, checkMetadata: true)
        case S_IFLNK:
            let ta = try? FileManager.default.destinationOfSymbolicLink(atPath: pa)
            let tb = try? FileManager.default.destinationOfSymbolicLink(atPath: pb)
            if ta != tb { out.append("link target differs: \(relative)") }
            compareMetadata(pa, pb, relative: relative, out: &out)
        default:
            if sa.st_size != sb.st_size || !sameBytes(pa, pb) { out.append("content differs: \(relative)") }
            compareMetadata(pa, pb, relative: relative, out: &out)
        }
    }

    private static func compareMetadata(_ pa: String, _ pb: String, relative: String, out: inout [String]) {
        var sa = stat()
        var sb = stat()
        guard lstat(pa, &sa) == 0, lstat(pb, &sb) == 0 else { return }
        if sa.st_mode & S_IFMT != S_IFLNK && sa.st_mode & 0o7777 != sb.st_mode & 0o7777 {
            out.append("mode differs: \(relative) \(String(sa.st_mode & 0o7777, radix: 8)) vs \(String(sb.st_mode & 0o7777, radix: 8))")
        }
        if sa.st_mtim.tv_sec != sb.st_mtim.tv_sec || sa.st_mtim.tv_nsec != sb.st_mtim.tv_nsec {
            out.append("mtime differs: \(relative) \(sa.st_mtim.tv_sec).\(sa.st_mtim.tv_nsec) vs \(sb.st_mtim.tv_sec).\(sb.st_mtim.tv_nsec)")
        }
    }

    private static func sameBytes(_ a: String, _ b: String) -> Bool {
        guard let ha = FileHandle(forReadingAtPath: a), let hb = FileHandle(forReadingAtPath: b) else { return false }
        defer {
            try? ha.close()
            try? hb.close()
        }
        while true {
            let da = (try? ha.read(upToCount: 1 << 20)) ?? Data()
            let db = (try? hb.read(upToCount: 1 << 20)) ?? Data()
            if da != db { return false }
            if da.isEmpty { return true }
        }
    }

    /// Regular files under `root`, relative paths, sorted.
    public static func regularFiles(_ root: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: root) else { return [] }
        var out: [String] = []
        while let p = e.nextObject() as? String {
            var st = stat()
            if lstat(root + "/" + p, &st) == 0 && st.st_mode & S_IFMT == S_IFREG { out.append(p) }
        }
        return out.sorted()
    }

    /// True when any file under `root` contains `needle`.
    public static func anyFileContains(_ root: String, _ needle: String) -> Bool {
        let pattern = Data(needle.utf8)
        for p in regularFiles(root) {
            if let data = FileManager.default.contents(atPath: root + "/" + p), data.range(of: pattern) != nil { return true }
        }
        return false
    }
}
