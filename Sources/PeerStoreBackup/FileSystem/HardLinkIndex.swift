/// The regular files with more than one link that one backup has already stored, by (device, inode), each with the
/// path (components from the backed-up folder) it was stored under. A later name of such a file becomes a hard-link
/// entry naming that path instead of being read again. Files with one link are never kept, so the index stays small.
public struct HardLinkIndex: Sendable {
    private struct Inode: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    private var firstPaths: [Inode: [FileName]] = [:]

    public init() {}

    /// The path a file with these values was first stored under, or nil if it has one link or was not stored yet.
    public func firstPath(device: UInt64, inode: UInt64, links: UInt64) -> [FileName]? {
        guard links > 1 else { return nil }
        return firstPaths[Inode(device: device, inode: inode)]
    }

    /// Records that the file with these values was stored under `path`, if it has more than one link and no path yet.
    public mutating func add(device: UInt64, inode: UInt64, links: UInt64, path: [FileName]) {
        guard links > 1 else { return }
        let key = Inode(device: device, inode: inode)
        if firstPaths[key] == nil { firstPaths[key] = path }
    }

    /// How many files with several links are known.
    public var count: Int { firstPaths.count }
}
