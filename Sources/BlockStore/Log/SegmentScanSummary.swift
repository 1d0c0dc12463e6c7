/// What a scan of one segment file finds, as start-up reads it: a public entry point to the internal
/// `SegmentScanner`, for the fuzzer (Fuzz/) and tools. Reads only; never changes the file.
public struct SegmentScanSummary: Equatable, Sendable {
    /// Entries whose header and payload are intact (and would be indexed).
    public var entries: Int
    /// Entries skipped because their payload failed its check.
    public var corruptEntries: Int
    /// Bytes skipped between a damaged header and the next valid one.
    public var skippedBytes: Int
    /// Where valid data ends; the bytes after it are a torn tail.
    public var validEnd: Int
    public var fileSize: Int

    /// Scans the segment file at `path`; with `verifyPayloads`, blocks are re-hashed and signatures checked.
    public static func scan(path: String, verifyPayloads: Bool) throws -> SegmentScanSummary {
        let file = try SegmentFile(number: 1, path: path, create: false)
        let result = try SegmentScanner.scan(file, verifyPayloads: verifyPayloads)
        return SegmentScanSummary(entries: result.entries.count, corruptEntries: result.corruptEntries,
                                  skippedBytes: result.skippedBytes, validEnd: result.validEnd, fileSize: result.fileSize)
    }
}
