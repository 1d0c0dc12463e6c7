/// What part of a snapshot a restore writes: everything, one folder (`restore -filename DIR`), and of that what
/// `-include` patterns keep. Paths are components from the backed-up folder, as the patterns see them.
public struct RestoreSelection: Sendable, Equatable {
    /// The folder restored into the destination; empty for the whole snapshot.
    public var folder: [FileName]
    public var include: IncludeRules

    public init(folder: [FileName] = [], include: IncludeRules = IncludeRules()) {
        self.folder = folder
        self.include = include
    }

    /// Whether everything below `folder` is restored.
    public var isWholeFolder: Bool { include.keepsEverything }

    /// What a restore does with an entry at `path`.
    public enum Decision: Equatable, Sendable {
        /// Restore it (a folder: with everything below it).
        case restore
        /// A folder no pattern matches that may hold paths that match: read it, and create it only when something in
        /// it is restored.
        case look
        case skip
    }

    /// The decision for the entry at `path` in a folder that is restored whole (`parentWhole`) or only looked into.
    public func decide(_ path: [FileName], isDirectory: Bool, parentWhole: Bool) -> Decision {
        if parentWhole || include.matches(path, isDirectory: isDirectory) { return .restore }
        return isDirectory && include.mayMatchBelow(path) ? .look : .skip
    }
}
