
/// A quick walk that only counts (lstat, no reads) what a backup of a folder will cover, for the progress line's totals.
public enum TreeScan {
    /// Regular files and their bytes below `root`, leaving out what `excludes` and `.peerstoreignore` files name.
    /// Unreadable folders are passed over (the backup reports them). Stops early when the task is cancelled.
    public static func count(_ root: LocalPath, excludes: ExcludeRules) -> (files: Int, bytes: UInt64) {
        var files = 0
        var bytes: UInt64 = 0
        var stack: [(path: LocalPath, relative: [FileName], excludes: ExcludeRules)] = [(root, [], excludes)]
        while let (path, relative, inherited) = stack.popLast(), !Task.isCancelled {
            guard let listing = try? DirectoryReader.list(path) else { continue }
            var rules = inherited
            if listing.names.contains(ExcludeRules.ignoreFileName),
                let data = SmallFile.contents(of: path.appending(ExcludeRules.ignoreFileName))
            {
                rules = rules.adding(ignoreFile: String(decoding: data, as: UTF8.self), in: relative)
            }
            for name in listing.names {
                let child = path.appending(name)
                guard let info = try? FileInfo.lstat(child) else { continue }
                if !rules.isEmpty, rules.excludes(relative + [name], isDirectory: info.kind == .directory) { continue }
                switch info.kind {
                case .file:
                    files += 1
                    bytes += info.size
                case .directory:
                    stack.append((child, relative + [name], rules))
                default:
                    break
                }
            }
        }
        return (files, bytes)
    }
}
