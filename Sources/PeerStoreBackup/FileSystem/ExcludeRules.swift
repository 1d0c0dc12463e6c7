#if canImport(Glibc)
import Glibc
#endif

/// What a backup leaves out: `-exclude PATTERN` flags and `.peerstoreignore` files, with the usual glob semantics
/// (those of .gitignore, without negation):
/// - `*`, `?` and `[...]` match within one name; `**` as a whole component matches any number of folders;
/// - a pattern without a `/` matches a name at any depth (`*.tmp`, `node_modules`);
/// - a pattern with a `/` is anchored at the folder of its ignore file, or at the backed-up folder for `-exclude`
///   (`/build`, `docs/*.pdf`, `**/cache/*`);
/// - a trailing `/` matches folders only (`logs/`);
/// - in a `.peerstoreignore` file, blank lines and lines starting with `#` are skipped.
/// Paths are given as components relative to the backed-up folder, as bytes (a name need not be UTF-8: patterns
/// match its bytes, as fnmatch does). An excluded folder is not entered.
public struct ExcludeRules: Sendable, Equatable {
    struct Rule: Sendable, Equatable {
        /// The folder (components relative to the backed-up folder) the pattern is relative to.
        var base: [FileName]
        var components: [String]
        var anchored: Bool
        var directoryOnly: Bool
    }

    /// The name of the per-folder ignore file.
    public static let ignoreFileName: FileName = ".peerstoreignore"

    private(set) var rules: [Rule] = []

    public init(patterns: [String] = []) {
        for pattern in patterns { add(pattern, base: []) }
    }

    public var isEmpty: Bool { rules.isEmpty }

    /// These rules plus those of an ignore file found in `folder`.
    public func adding(ignoreFile text: String, in folder: [FileName]) -> ExcludeRules {
        var copy = self
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = String(line).trimmingTrailingSpaces()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            copy.add(trimmed, base: folder)
        }
        return copy
    }

    /// Whether `path` (components relative to the backed-up folder) is left out.
    public func excludes(_ path: [FileName], isDirectory: Bool) -> Bool {
        rules.contains { rule in
            guard !rule.directoryOnly || isDirectory, path.count > rule.base.count, Array(path.prefix(rule.base.count)) == rule.base
            else { return false }
            let rest = Array(path.dropFirst(rule.base.count))
            if rule.anchored { return Self.match(rule.components[...], rest[...]) }
            return Self.matchName(rule.components[0], rest[rest.count - 1])
        }
    }

    private mutating func add(_ raw: String, base: [FileName]) {
        var pattern = raw
        var directoryOnly = false
        while pattern.hasSuffix("/") {
            directoryOnly = true
            pattern.removeLast()
        }
        let anchored = pattern.contains("/")
        let components = pattern.split(separator: "/").map(String.init).filter { $0 != "." }
        guard !components.isEmpty else { return }
        rules.append(Rule(base: base, components: components, anchored: anchored, directoryOnly: directoryOnly))
    }

    /// Component-wise match with `**` for any number of components.
    static func match(_ pattern: ArraySlice<String>, _ path: ArraySlice<FileName>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == "**" {
            let rest = pattern.dropFirst()
            for skip in 0...path.count where match(rest, path.dropFirst(skip)) { return true }
            return false
        }
        guard let name = path.first, matchName(first, name) else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }

    /// One name against one glob component (fnmatch: `*`, `?`, `[...]`, backslash escapes; dots not special).
    static func matchName(_ pattern: String, _ name: FileName) -> Bool {
        LocalPath(bytes: name.bytes).withCString { fnmatch(pattern, $0, 0) } == 0
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s.removeLast() }
        return String(s)
    }
}
