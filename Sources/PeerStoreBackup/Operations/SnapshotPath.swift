/// Turns a `-filename` as the user typed it into path components inside a snapshot.
///
/// Accepted: the absolute path as it was backed up (under the snapshot's root), or a path relative to the backed-up
/// folder; a relative path that, taken from the current folder, lands under the root works too.
public enum SnapshotPath {
    public static func candidates(for filename: String, rootPath: String, currentDirectory: String) -> [[String]] {
        var out: [[String]] = []
        func add(_ absolute: String) {
            let comps = normalize(absolute)
            let root = normalize(rootPath)
            if comps.count > root.count, Array(comps.prefix(root.count)) == root {
                out.append(Array(comps.dropFirst(root.count)))
            }
        }
        if filename.hasPrefix("/") {
            add(filename)
        } else {
            let relative = normalize("/" + filename)
            if !relative.isEmpty { out.append(relative) }
            add(currentDirectory + "/" + filename)
        }
        var unique: [[String]] = []
        for c in out where !unique.contains(c) { unique.append(c) }
        return unique
    }

    /// Splits a path into components, dropping empty and "." parts and resolving "..".
    static func normalize(_ path: String) -> [String] {
        var parts: [String] = []
        for p in path.split(separator: "/", omittingEmptySubsequences: true) {
            if p == "." { continue }
            if p == ".." {
                _ = parts.popLast()
                continue
            }
            parts.append(String(p))
        }
        return parts
    }
}

extension SnapshotPath {
    /// Whether `filename` names the backed-up folder itself (`/`, `.`, its absolute path): the whole snapshot. A
    /// relative name is taken from the backed-up folder first (as `candidates` does), so only `.` and the like are it.
    public static func isRoot(_ filename: String, rootPath: String) -> Bool {
        if filename.hasPrefix("/") { return normalize(filename) == normalize(rootPath) || normalize(filename).isEmpty }
        return normalize("/" + filename).isEmpty
    }
}
