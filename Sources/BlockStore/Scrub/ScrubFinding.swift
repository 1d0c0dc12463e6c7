/// What the scrubber found reading one target.
public enum ScrubFinding: Sendable, Equatable {
    /// The copy is intact: `bytes` payload bytes read and verified.
    case intact(bytes: Int)
    /// The copy failed its check (block hash, record signature); `dropped` when this call dropped it (it may have
    /// gone meanwhile by a read or a compaction that found the same damage).
    case damaged(bytes: Int, dropped: Bool)
    /// No longer held (deleted or replaced since the pass was planned): nothing read.
    case absent
}
