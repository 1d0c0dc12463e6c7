/// The caps of one inbox, so that nobody can flood it: the sealed bytes of one entry, the entries of one poster, the
/// entries and bytes of the whole inbox, and how many removed ids are remembered. The byte cap keeps a whole inbox
/// within one wire frame.
public struct InboxLimits: Sendable, Equatable {
    public var maxSealedLength: Int
    public var entriesPerPoster: Int
    public var entriesPerInbox: Int
    /// Encoded bytes of all entries together.
    public var bytesPerInbox: Int
    /// Removed ids remembered (the oldest removals are forgotten beyond it).
    public var maxTombstones: Int

    public init(maxSealedLength: Int = InboxEntry.maxSealedLength, entriesPerPoster: Int = 64, entriesPerInbox: Int = 1024,
                bytesPerInbox: Int = 4 << 20, maxTombstones: Int = 4096) {
        self.maxSealedLength = min(maxSealedLength, InboxEntry.maxSealedLength)
        self.entriesPerPoster = entriesPerPoster
        self.entriesPerInbox = entriesPerInbox
        self.bytesPerInbox = bytesPerInbox
        self.maxTombstones = maxTombstones
    }

    /// The caps every node applies.
    public static let standard = InboxLimits()
}
