/// Everything one device knows of a synced folder: a record per path, tombstones included.
public struct FolderState: Equatable, Sendable {
    public var records: [SyncPath: FileRecord]

    public init(records: [SyncPath: FileRecord] = [:]) { self.records = records }

    public subscript(path: SyncPath) -> FileRecord? {
        get { records[path] }
        set { records[path] = newValue }
    }

    /// Live paths (not deleted), sorted.
    public var livePaths: [SyncPath] { records.filter { !$0.value.deleted }.keys.sorted() }

    /// The state after a scan of the disk: an unchanged path keeps its record, a new or changed one gets a version
    /// one step past what it replaces (made by `device`), a path gone from disk becomes a tombstone.
    public func scanned(_ scan: [SyncPath: FileMeta], device: [UInt8]) -> FolderState { scanning(scan, device: device).state }

    /// `scanned`, and whether the scan changed any record.
    public func scanning(_ scan: [SyncPath: FileMeta], device: [UInt8]) -> (state: FolderState, changed: Bool) {
        var out = self
        var changed = false
        for (path, meta) in scan {
            if let old = records[path], !old.deleted, old.meta.isSame(as: meta) { continue }
            let base = records[path]?.version ?? VersionVector()
            out[path] = FileRecord(meta: meta, version: base.incremented(device), modifiedBy: device)
            changed = true
        }
        // A scan that changed nothing holds only live paths; it holds them all when it holds as many.
        if changed || scan.count != records.values.reduce(0, { $1.deleted ? $0 : $0 + 1 }) {
            for (path, old) in records where !old.deleted && scan[path] == nil {
                out[path] = FileRecord(meta: old.meta, deleted: true, version: old.version.incremented(device), modifiedBy: device)
                changed = true
            }
        }
        return (out, changed)
    }
}
