/// What a restore did.
public struct RestoreSummary: Sendable {
    public var files = 0
    public var directories = 0
    public var symlinks = 0
    public var bytes: UInt64 = 0
    /// Files that could not be restored (missing or corrupt blocks, or hard links to such files), with the reason.
    /// None of them was written.
    public var failed: [String] = []
    public var seconds: Double = 0
    public var destination = ""

    public init() {}
}
