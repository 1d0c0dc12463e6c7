/// A path inside a synced folder: its names from the folder down, compared by bytes (see `FileName`).
public struct SyncPath: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var components: [FileName]

    public init(_ components: [FileName]) { self.components = components }
    public init(_ shown: String) { components = shown.split(separator: "/").map { FileName(String($0)) } }

    public var name: FileName { components[components.count - 1] }
    public var parent: SyncPath? { components.count > 1 ? SyncPath(Array(components.dropLast())) : nil }
    public var depth: Int { components.count }

    public func replacingName(_ name: FileName) -> SyncPath { SyncPath(Array(components.dropLast()) + [name]) }
    public func appending(_ name: FileName) -> SyncPath { SyncPath(components + [name]) }

    /// True if `self` lies inside `ancestor` (and is not it).
    public func isInside(_ ancestor: SyncPath) -> Bool {
        components.count > ancestor.components.count && Array(components.prefix(ancestor.components.count)) == ancestor.components
    }

    public var description: String { components.shown }

    public static func < (a: SyncPath, b: SyncPath) -> Bool {
        a.components.lexicographicallyPrecedes(b.components)
    }
}
