import Foundation

/// Saves the file cache of a backup still walking, every `every` seconds, so that a first backup cut short (SIGINT,
/// kill -9, a lost network) is not read again from the start: the next run takes the files checkpointed so far from
/// the cache, once the ring confirms their blocks (`CachedBlockCheck`; a file whose blocks did not make it is read
/// again), and sends only what the ring lacks. Used only when the backup has no previous cache to keep: a checkpoint
/// holds just the files walked so far, and must not replace a whole cache.
struct FileCacheCheckpoint: Sendable {
    let store: FileCacheStore
    let device: String
    let started: Int64
    let chunker: ChunkerSettings
    let every: TimeInterval
    private var last: Date

    init(store: FileCacheStore, device: String, started: Int64, chunker: ChunkerSettings, every: TimeInterval, now: Date = Date()) {
        self.store = store
        self.device = device
        self.started = started
        self.chunker = chunker
        self.every = every
        last = now
    }

    /// Whether a checkpoint is due at `now`.
    func isDue(_ now: Date = Date()) -> Bool { now.timeIntervalSince(last) >= every }

    /// Saves `writer`'s entries if a checkpoint is due; a failure only costs the checkpoint. Returns whether it saved.
    @discardableResult
    mutating func saveIfDue(_ writer: FileCacheWriter?, now: Date = Date()) -> Bool {
        guard let writer, isDue(now) else { return false }
        last = now
        return (try? store.save(writer, started: started, chunker: chunker)) != nil
    }
}
