/// One path of a synced folder as a device knows it: what it is (or that it was deleted: a tombstone, so the delete
/// can travel), its version vector and the device that made this version (for conflict names and tie-breaks).
public struct FileRecord: Equatable, Sendable {
    public var meta: FileMeta
    public var deleted: Bool
    public var version: VersionVector
    /// The device id (16 bytes) that made this version.
    public var modifiedBy: [UInt8]

    public init(meta: FileMeta, deleted: Bool = false, version: VersionVector, modifiedBy: [UInt8]) {
        self.meta = meta
        self.deleted = deleted
        self.version = version
        self.modifiedBy = modifiedBy
    }

    /// The order concurrent versions are ranked in, the same on every device: a live version before a delete (a file
    /// changed elsewhere comes back), a folder before a file or link (what is inside it stays; the file becomes a
    /// conflict copy), then the newer mtime, then the larger device id.
    public func outranks(_ other: FileRecord) -> Bool {
        if deleted != other.deleted { return !deleted }
        if (meta.kind == .directory) != (other.meta.kind == .directory) { return meta.kind == .directory }
        if meta.mtime != other.meta.mtime { return meta.mtime > other.meta.mtime }
        if modifiedBy != other.modifiedBy { return other.modifiedBy.lexicographicallyPrecedes(modifiedBy) }
        return version.sortedDevices.map { version[$0] }.lexicographicallyPrecedes(other.version.sortedDevices.map { other.version[$0] })
    }
}
