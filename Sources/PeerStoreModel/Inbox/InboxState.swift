import ChordRing

/// One inbox as a node holds it: its entries by id and the owner's removals (whose ids are tombstones: never taken in
/// again). A pure value: the node's store, the in-memory ring and the tests all decide with it.
public struct InboxState: Equatable, Sendable {
    public enum Decision: Equatable, Sendable {
        /// A new entry within every cap: store it.
        case store
        /// The same entry is here already.
        case duplicate
        case reject(ModelError)
    }

    public let owner: [UInt8]
    public let limits: InboxLimits
    public private(set) var entries: [Identifier: InboxEntry] = [:]
    /// The owner's removals, oldest first, bounded by `limits.maxTombstones` ids.
    public private(set) var removals: [InboxRemoval] = []
    public private(set) var tombstones: Set<Identifier> = []
    /// Encoded bytes of all entries.
    public private(set) var bytes = 0
    /// How many entries each poster has here, kept with `entries`: the per-poster cap costs no scan.
    private var countByPoster: [[UInt8]: Int] = [:]

    public init(owner: [UInt8], limits: InboxLimits = .standard) {
        self.owner = owner
        self.limits = limits
    }

    public var key: Identifier { InboxKey.of(owner: owner) }
    public var isEmpty: Bool { entries.isEmpty && removals.isEmpty }

    /// The entries in a stable order: by claimed time, then id.
    public var sortedEntries: [InboxEntry] {
        entries.map { ($0.key, $0.value) }.sorted { ($0.1.posted, $0.0) < ($1.1.posted, $1.0) }.map(\.1)
    }

    /// What to do with a posted entry.
    public func decide(post entry: InboxEntry) -> Decision {
        guard entry.owner == owner else {
            return .reject(ModelError(.badInboxEntry, "the inbox entry is addressed to another inbox"))
        }
        guard entry.sealed.count <= limits.maxSealedLength else {
            return .reject(ModelError(.badInboxEntry,
                                      "an inbox entry holds at most \(limits.maxSealedLength) sealed bytes, not \(entry.sealed.count)"))
        }
        // The id hashes the whole entry, signature included: one held (or removed) was verified when it came in, so
        // replicas' re-pushes cost a hash, not a signature check.
        let id = entry.id
        if entries[id] != nil { return .duplicate }
        if tombstones.contains(id) {
            return .reject(ModelError(.inboxEntryRemoved, "the recipient removed this entry from their inbox already; post a new one"))
        }
        guard entry.hasValidSignature else {
            return .reject(ModelError(.badInboxEntry, "the inbox entry's signature is not valid for its poster key"))
        }
        let remedy = "ask them to remove old shares (`-operation inbox -remove INDEX`), then share again"
        if entries.count >= limits.entriesPerInbox {
            return .reject(ModelError(.inboxFull, "the recipient's inbox is full (\(limits.entriesPerInbox) entries); \(remedy)"))
        }
        if bytes + entry.encodedLength > limits.bytesPerInbox {
            let kib = limits.bytesPerInbox >> 10
            return .reject(ModelError(.inboxFull, "the recipient's inbox is full (\(kib) KiB of entries); \(remedy)"))
        }
        if entryCount(of: entry.poster) >= limits.entriesPerPoster {
            let most = limits.entriesPerPoster
            return .reject(ModelError(
                .inboxFull, "you have \(most) entries in the recipient's inbox already, the most one sender may have; \(remedy)"))
        }
        return .store
    }

    /// How many entries `poster` has in this inbox.
    public func entryCount(of poster: [UInt8]) -> Int {
        countByPoster[poster] ?? 0
    }

    /// Decides and, for `.store`, takes the entry in.
    @discardableResult
    public mutating func post(_ entry: InboxEntry) -> Decision {
        let decision = decide(post: entry)
        if decision == .store { insert(entry) }
        return decision
    }

    /// Whether a removal may be applied: the owner's, validly signed.
    public func check(_ removal: InboxRemoval) -> ModelError? {
        guard removal.owner == owner else { return ModelError(.badInboxRemoval, "the inbox removal is for another inbox") }
        guard removal.hasValidSignature else {
            return ModelError(.badInboxRemoval, "the inbox removal is not signed by the inbox's owner")
        }
        return nil
    }

    /// Applies the owner's removal; returns how many entries it removed. A removal that removes none of the entries held
    /// here is not kept (0): so removals never take more room than the posts they undo, and nobody fills a node's disk
    /// with removals, which need no `-allowUsers` place. Throws if it is not the owner's.
    @discardableResult
    public mutating func apply(_ removal: InboxRemoval) throws -> Int {
        if let error = check(removal) { throw error }
        return record(removal, onlyIfHeld: true)
    }

    /// Takes in another replica's state: its removals, then its entries that are not removed and fit the caps.
    public mutating func merge(_ other: InboxState) {
        guard other.owner == owner else { return }
        for removal in other.removals where check(removal) == nil { record(removal, onlyIfHeld: false) }
        for entry in other.sortedEntries { post(entry) }
    }

    /// Takes in an entry accepted before (replaying a log): only the tombstones are honoured, not the caps.
    public mutating func restore(_ entry: InboxEntry) {
        let id = entry.id
        guard entry.owner == owner, entries[id] == nil, !tombstones.contains(id) else { return }
        insert(entry)
    }

    /// Takes in a removal checked before (replaying a log).
    public mutating func restore(_ removal: InboxRemoval) {
        guard removal.owner == owner else { return }
        record(removal, onlyIfHeld: false)
    }

    private mutating func insert(_ entry: InboxEntry) {
        entries[entry.id] = entry
        bytes += entry.encodedLength
        countByPoster[entry.poster, default: 0] += 1
    }

    /// Removes the entries `removal` names and keeps it; with `onlyIfHeld`, only if it removes one. Returns how many
    /// entries it removed.
    @discardableResult
    private mutating func record(_ removal: InboxRemoval, onlyIfHeld: Bool) -> Int {
        let fresh = Set(removal.ids).subtracting(tombstones)
        let held = fresh.filter { entries[$0] != nil }
        guard onlyIfHeld ? !held.isEmpty : !fresh.isEmpty else { return 0 }
        for id in held {
            guard let gone = entries.removeValue(forKey: id) else { continue }
            bytes -= gone.encodedLength
            countByPoster[gone.poster, default: 1] -= 1
            if countByPoster[gone.poster] == 0 { countByPoster[gone.poster] = nil }
        }
        removals.append(removal)
        tombstones.formUnion(fresh)
        var count = removals.reduce(0) { $0 + $1.ids.count }
        while count > limits.maxTombstones, removals.count > 1 {
            count -= removals.removeFirst().ids.count
        }
        tombstones = Set(removals.flatMap(\.ids))
        return held.count
    }
}
