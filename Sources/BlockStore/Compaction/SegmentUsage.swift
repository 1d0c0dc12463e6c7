/// Live and total bytes per segment, kept exact as entries are appended and superseded (index lock held by the store).
///
/// An entry counts with its header. It is live while compaction must keep it: a block entry while the index points at
/// it, a record entry while it is the current record of its key, and every other entry (drops, inbox entries and
/// removals, leases, releases, tombstones) always, because they are kept in place (docs/formats.md, *Compaction*).
struct SegmentUsage: Sendable, Equatable {
    struct Bytes: Sendable, Equatable {
        var live = 0
        var total = 0
    }

    private(set) var bytes: [Int: Bytes] = [:]

    static func size(_ location: LogLocation) -> Int { location.entrySize }

    /// An entry was written (or found at start-up); `live` says whether it counts as live at once.
    mutating func appended(_ location: LogLocation, live: Bool) {
        let size = Self.size(location)
        bytes[location.segment, default: Bytes()].total += size
        if live { bytes[location.segment, default: Bytes()].live += size }
    }

    /// The index (or the record table) now points at this entry.
    mutating func revived(_ location: LogLocation) {
        bytes[location.segment, default: Bytes()].live += Self.size(location)
    }

    /// The entry is no longer the one the index (or the record table) points at.
    mutating func superseded(_ location: LogLocation) {
        guard bytes[location.segment] != nil else { return }
        bytes[location.segment]!.live -= Self.size(location)
    }

    /// A segment was rewritten (`nil`: removed).
    mutating func set(segment: Int, live: Int, total: Int) {
        bytes[segment] = Bytes(live: live, total: total)
    }

    mutating func remove(segment: Int) { bytes[segment] = nil }

    var segments: [CompactionPlan.Segment] {
        bytes.map { CompactionPlan.Segment(number: $0.key, live: $0.value.live, total: $0.value.total) }.sorted { $0.number < $1.number }
    }
}
