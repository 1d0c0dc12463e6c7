/// How many ids one have-blocks request carries. The wire bound (`WireMessageCodec.maxHaveBlocksBatch`, also the
/// most ids a range-blocks answer lists) is the one number; the batches below are fixed fractions of it, smaller
/// for the reason each gives.
public enum HaveBlocksBatch {
    /// The most one request carries: `WireClient.haveBlocks` splits a longer list into requests of this size.
    public static let max = WireMessageCodec.maxHaveBlocksBatch
    /// A node asking a replica target which blocks it lacks (anti-entropy, hand-off): short requests, one at a time,
    /// so that repair traffic interleaves with clients' requests on the target.
    public static let repair = max / 16
    /// The client confirming the blocks a loaded file cache names: small enough that several batches are in flight
    /// at once (`CachedBlockCheck.batchesInFlight`) and the answers' latency overlaps.
    public static let cacheCheck = max / 64
    /// Blocks in one upload window at most (`BlockUploader.Settings.windowBlocks`): a window is asked in one
    /// request, and with the window's byte bound it keeps the uploader's memory small.
    public static let uploadWindow = max / 64
}
