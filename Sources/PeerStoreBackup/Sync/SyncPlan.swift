/// What one sync round does to the local folder, in the order it is to be done: renames (a local version that lost a
/// conflict moves to its conflict name; a file whose very version is wanted under another path, as after a rename
/// elsewhere, moves there instead of being fetched), then deletes (deepest first), then writes of versions made
/// elsewhere (shallowest first).
public struct SyncPlan: Equatable, Sendable {
    public enum Action: Equatable, Sendable {
        /// Move the local file at `from` to `to` (its conflict name, or where its version now belongs).
        case rename(from: SyncPath, to: SyncPath)
        case delete(SyncPath)
        /// Write `record`'s version at the path (a file, folder or symlink, with its mode and mtime).
        case download(SyncPath, FileRecord)
    }

    public var actions: [Action]

    public init(actions: [Action] = []) { self.actions = actions }

    public var isEmpty: Bool { actions.isEmpty }

    /// The paths an action of this plan touches (a rename: both).
    public var touchedPaths: [SyncPath] {
        actions.flatMap { action -> [SyncPath] in
            switch action {
            case .rename(let from, let to): [from, to]
            case .delete(let path): [path]
            case .download(let path, _): [path]
            }
        }
    }
}
