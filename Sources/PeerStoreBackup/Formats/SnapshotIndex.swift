import ChordRing

/// The history of one backup name: the snapshots it retains, newest first, and those a `forget` dropped that no
/// prune has released yet. The head points at it (`HeadPointer.index`), so an old snapshot can go without rewriting
/// the snapshots after it; a snapshot's parent field stays, for the file cache and `diff`, but the history no longer
/// follows it. Bytes and blocks: `SnapshotIndexCodec`.
public struct SnapshotIndex: Equatable, Sendable {
    /// One snapshot: its id and a time in ns since 1970 (the snapshot's time when retained, when it was forgotten
    /// when forgotten).
    public struct Entry: Equatable, Hashable, Sendable {
        public var id: Identifier
        public var time: Int64

        public init(id: Identifier, time: Int64) {
            self.id = id
            self.time = time
        }
    }

    /// Newest first (by time, then id, so every client orders them alike).
    public private(set) var retained: [Entry]
    /// Oldest forgotten first.
    public private(set) var forgotten: [Entry]

    public init(retained: [Entry] = [], forgotten: [Entry] = []) {
        self.retained = retained.sorted(by: Self.newerFirst)
        self.forgotten = forgotten.sorted(by: Self.olderFirst)
    }

    static func newerFirst(_ a: Entry, _ b: Entry) -> Bool { (a.time, a.id) > (b.time, b.id) }
    static func olderFirst(_ a: Entry, _ b: Entry) -> Bool { (a.time, a.id) < (b.time, b.id) }

    /// Whether `id` is retained or forgotten here.
    public func contains(_ id: Identifier) -> Bool {
        retained.contains { $0.id == id } || forgotten.contains { $0.id == id }
    }

    /// Adds a new snapshot (a backup); one already listed is left as it is.
    public mutating func add(_ entry: Entry) {
        guard !contains(entry.id) else { return }
        let at = retained.firstIndex { Self.newerFirst(entry, $0) } ?? retained.count
        retained.insert(entry, at: at)
    }

    /// Moves the retained snapshots in `ids` to the forgotten list, as forgotten at `time`.
    public mutating func forget(_ ids: Set<Identifier>, at time: Int64) {
        let gone = retained.filter { ids.contains($0.id) }
        retained.removeAll { ids.contains($0.id) }
        forgotten = (forgotten + gone.map { Entry(id: $0.id, time: time) }).sorted(by: Self.olderFirst)
    }

    /// Takes snapshots off the forgotten list (a prune released them).
    public mutating func release(_ ids: Set<Identifier>) {
        forgotten.removeAll { ids.contains($0.id) }
    }
}

