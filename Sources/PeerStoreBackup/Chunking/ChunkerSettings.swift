/// Content-defined chunking sizes (docs/formats.md: min 256 KiB, average 1 MiB, max 4 MiB).
public struct ChunkerSettings: Sendable, Equatable {
    public var minSize: Int
    public var averageSize: Int
    public var maxSize: Int

    public init(minSize: Int = 256 << 10, averageSize: Int = 1 << 20, maxSize: Int = 4 << 20) {
        precondition(minSize > 0 && minSize < averageSize && averageSize < maxSize, "chunk sizes must grow min < avg < max")
        precondition(averageSize & (averageSize - 1) == 0, "the average chunk size must be a power of two")
        self.minSize = minSize
        self.averageSize = averageSize
        self.maxSize = maxSize
    }

    public static let `default` = ChunkerSettings()
}
