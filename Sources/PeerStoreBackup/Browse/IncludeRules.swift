/// What `restore -include PATTERN` keeps: the paths a pattern matches, everything below a folder one matches, and the
/// folders leading to those. Patterns are those of `ExcludeRules` (`*.txt`, `/docs`, `src/**/*.c`, `logs/`), relative
/// to the backed-up folder; paths are components from the backed-up folder. No pattern keeps everything.
public struct IncludeRules: Sendable, Equatable {
    let rules: ExcludeRules
    /// The patterns as given.
    public let patterns: [String]

    public init(patterns: [String] = []) {
        self.patterns = patterns
        rules = ExcludeRules(patterns: patterns)
    }

    /// True when there is no pattern: everything is restored.
    public var keepsEverything: Bool { rules.isEmpty }

    /// Whether a pattern matches `path` itself (a folder it matches is restored with everything below it).
    public func matches(_ path: [FileName], isDirectory: Bool) -> Bool {
        keepsEverything || rules.excludes(path, isDirectory: isDirectory)
    }

    /// Whether a path below the folder `folder` (which no pattern matches) might match, so the folder must be read.
    public func mayMatchBelow(_ folder: [FileName]) -> Bool {
        keepsEverything || rules.rules.contains { rule in
            !rule.anchored || Self.prefixMayMatch(rule.components[...], folder[...])
        }
    }

    /// Whether some path that starts with `path` (and is longer) can match the anchored `pattern`.
    static func prefixMayMatch(_ pattern: ArraySlice<String>, _ path: ArraySlice<FileName>) -> Bool {
        guard let first = pattern.first else { return false }
        if first == "**" { return true }
        guard let name = path.first else { return true }
        return ExcludeRules.matchName(first, name) && prefixMayMatch(pattern.dropFirst(), path.dropFirst())
    }
}
