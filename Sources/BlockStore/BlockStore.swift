import ChordRing
import Metrics
import Foundation
import Logging
import PeerStoreModel

/// A durable, content-addressed store of blocks, signed records and users' inboxes in one data path.
///
/// Log-structured (docs/formats.md, after Bitcask and Borg's segments): entries are appended to numbered segment files under
/// `<dataPath>/segments/`; one writer thread takes every put waiting at that moment, appends them, calls fdatasync once
/// (group commit), and only then updates the in-memory index and acknowledges each put. At start-up the index is rebuilt
/// by scanning the segments; a torn tail of the newest segment is found (header checksum, payload hash or signature)
/// and truncated, so a block is either whole and readable or absent.
public final class BlockStore: @unchecked Sendable {
    public enum PutOutcome: Sendable, Equatable {
        case stored
        case alreadyPresent
    }

    /// Counts for status output and tests.
    public struct Stats: Sendable, Equatable {
        public var blocks: Int
        public var blockBytes: Int
        public var records: Int
        public var segments: Int
        public var syncs: Int
        public var truncatedBytesAtOpen: Int
    }

    enum PendingWrite {
        case block(Identifier, [UInt8], CheckedContinuation<PutOutcome, Error>)
        /// Many blocks with one waiter (`put(blocks:)`): one outcome per block, in order.
        case blocks([(Identifier, [UInt8])], CheckedContinuation<[PutOutcome], Error>)
        case record(SignedRecord, UInt64?, CheckedContinuation<PutOutcome, Error>)
        /// `.stored` when new, `.alreadyPresent` when the same entry is there.
        case inboxEntry(InboxEntry, CheckedContinuation<PutOutcome, Error>)
        /// `.stored` when it removed an entry held here (only then is it kept), `.alreadyPresent` otherwise.
        case inboxRemoval(InboxRemoval, CheckedContinuation<PutOutcome, Error>)
        /// A tombstone for a copy found damaged; nobody waits for it.
        case drop(DropEntry)
        /// A lease, release or tombstone already applied to `leases` (BlockStore+Leases.swift); `.stored` once durable.
        case lease(LeaseLogEntry, CheckedContinuation<PutOutcome, Error>)

        /// How many outcomes `commit` records for it.
        var outcomeCount: Int {
            if case .blocks(let blocks, _) = self { blocks.count } else { 1 }
        }
    }

    public let path: String
    public let settings: BlockStoreSettings
    let logger: Logger
    private let metrics: StoreMetrics
    private let lock: DataPathLock
    let segmentsPath: String

    // Guarded by `indexLock`.
    let indexLock = NSLock()
    var index: [Identifier: LogLocation] = [:]
    var records: [Identifier: SignedRecord] = [:]
    /// How many record keys each owner has here (`BlockStoreSettings.maxRecordsPerOwner`).
    var recordsPerOwner: [[UInt8]: Int] = [:]
    /// Inboxes by inbox key.
    var inboxes: [Identifier: InboxState] = [:]
    /// Leases and tombstones (BlockStore+Leases.swift).
    var leases = LeaseTable()
    var segments: [Int: SegmentFile] = [:]
    var blockBytes = 0
    /// Where each current record lies, and each segment's live and total bytes (Compaction/).
    var recordLocations: [Identifier: LogLocation] = [:]
    var usage = SegmentUsage()
    private var syncCount = 0
    private let truncatedAtOpen: Int
    /// Entries start-up skipped because they failed their check (they are not held; `-operation scrub` reports them).
    public let damagedEntriesAtOpen: Int
    /// Held by a compaction, and by `close` so that none runs after it.
    let compactionLock = NSLock()

    // Guarded by `queue`.
    private let queue = NSCondition()
    private var pending: [PendingWrite] = []
    private var closing = false
    private var writerDone = false

    // Owned by the writer thread.
    private var current: SegmentFile
    private var currentOffset: Int

    /// Opens (creating if needed) the store in `path`, locking it against a second process; a data path a newer build
    /// wrote (`DataPathFormat`) is refused before anything in it is read. Counters and timers go to `metrics` (by
    /// default the process's bootstrapped backend).
    public init(path: String, settings: BlockStoreSettings = .init(), logger: Logger = Logger(label: "peerstore.blockstore"),
                metrics: any MetricsFactory = MetricsSystem.factory) throws {
        self.path = path
        self.settings = settings
        self.logger = logger
        self.metrics = StoreMetrics(factory: metrics)
        self.segmentsPath = path + "/segments"
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw BlockStoreError(.io, "cannot create data path \(path): \(error.localizedDescription)")
        }
        self.lock = try DataPathLock(directory: path)
        try DataPathFormat.check(directory: path)
        do {
            try FileManager.default.createDirectory(atPath: segmentsPath, withIntermediateDirectories: true)
        } catch {
            throw BlockStoreError(.io, "cannot create \(segmentsPath): \(error.localizedDescription)")
        }

        try Self.removeCompactionLeftovers(in: segmentsPath)
        let recovered = try Self.recover(segmentsPath: segmentsPath, settings: settings, logger: logger)
        index = recovered.index
        records = recovered.records
        for record in records.values { recordsPerOwner[record.ownerKey, default: 0] += 1 }
        inboxes = recovered.inboxes
        leases = recovered.leases
        leases.assumeRenewed(at: settings.wallClock())
        segments = recovered.segments
        blockBytes = recovered.blockBytes
        recordLocations = recovered.recordLocations
        usage = recovered.usage
        truncatedAtOpen = recovered.truncated
        damagedEntriesAtOpen = recovered.damaged
        current = recovered.current
        currentOffset = recovered.currentOffset
        logger.info("block store open", metadata: [
            "blocks": "\(index.count)", "records": "\(records.count)", "inboxes": "\(inboxes.count)",
            "leased": "\(leases.blocks.count)", "tombstones": "\(leases.tombstones.count)", "segments": "\(segments.count)"])

        let thread = Thread { [self] in self.writerLoop() }
        thread.name = "peerstore-blockstore-writer"
        thread.start()
    }

    deinit {
        close()
    }

    // MARK: Blocks

    /// Stores a block; returns once it is durable. Throws `idMismatch` unless id == BLAKE2b-256(bytes).
    @discardableResult
    public func put(id: Identifier, bytes: [UInt8]) async throws -> PutOutcome {
        try checkSize(bytes)
        if contains(id) { return .alreadyPresent }  // nothing to store, so nothing to verify
        try checkID(id, of: bytes)
        let started = ContinuousClock.now
        let outcome = try await withCheckedThrowingContinuation { continuation in
            enqueue(.block(id, bytes, continuation))
        }
        recordStored(outcome, bytes: bytes.count, after: ContinuousClock.now - started)
        return outcome
    }

    func checkSize(_ bytes: [UInt8]) throws {
        guard bytes.count <= settings.maxBlockSize else {
            throw BlockStoreError(.tooLarge, "block of \(bytes.count) bytes exceeds the \(settings.maxBlockSize)-byte limit")
        }
    }

    func checkID(_ id: Identifier, of bytes: [UInt8]) throws {
        guard BlockID.of(bytes) == id else {
            throw BlockStoreError(.idMismatch, "block id does not match the hash of its bytes")
        }
    }

    /// Counts a block put that was new, and how long it waited to be durable.
    func recordStored(_ outcome: PutOutcome, bytes: Int, after elapsed: Duration) {
        guard outcome == .stored else { return }
        metrics.puts.increment()
        metrics.bytesIn.increment(by: bytes)
        metrics.putDuration.record(duration: elapsed)
    }

    /// The block's bytes, verified by the XXH3-64 its entry header holds (by its id for an entry an older build wrote:
    /// `StoredBlockCheck`); nil if absent. A block that fails its check is dropped from the index, a drop entry is
    /// appended so that it stays dropped after a restart, and it is reported as `corruptBlock` (a replica can then
    /// supply it again).
    public func get(id: Identifier) throws -> [UInt8]? {
        indexLock.lock()
        let location = index[id]
        let file = location.flatMap { segments[$0.segment] }
        indexLock.unlock()
        guard let location, let file else { return nil }
        let bytes = try file.read(at: location.offset, count: location.length)
        guard StoredBlockCheck.isIntact(bytes, id: id, at: location) else {
            dropBlock(id, at: location)
            logger.error("block failed its check on read; dropped", metadata: ["block": "\(id)"])
            throw BlockStoreError(.corruptBlock, "stored block \(id.shortHex()) is corrupt on disk and was dropped")
        }
        metrics.gets.increment()
        metrics.bytesOut.increment(by: bytes.count)
        return bytes
    }

    /// Drops the copy of block `id` at `location`, if the index still points there; returns whether it did.
    @discardableResult
    func dropBlock(_ id: Identifier, at location: LogLocation) -> Bool {
        indexLock.lock()
        defer { indexLock.unlock() }
        guard index[id] == location else { return false }
        index[id] = nil
        blockBytes -= location.length
        usage.superseded(location)
        // Queued before the index lock is released: a put of a good copy that finds the block absent queues
        // after it, so the log has the drop before the new copy.
        enqueue(.drop(DropEntry(key: id, segment: location.segment, offset: location.offset)))
        return true
    }

    public func contains(_ id: Identifier) -> Bool {
        indexLock.lock()
        defer { indexLock.unlock() }
        return index[id] != nil
    }

    /// For each id, whether the store holds it.
    public func contains(_ ids: [Identifier]) -> [Bool] {
        indexLock.lock()
        defer { indexLock.unlock() }
        return ids.map { index[$0] != nil }
    }

    /// Every block id held, for anti-entropy.
    public func blockIDs() -> [Identifier] {
        indexLock.lock()
        defer { indexLock.unlock() }
        return Array(index.keys)
    }

    /// Every record held, for anti-entropy.
    public func allRecords() -> [SignedRecord] {
        indexLock.lock()
        defer { indexLock.unlock() }
        return Array(records.values)
    }

    // MARK: Records

    /// Stores a record under the BEP 44 rules (`RecordRules`); returns once durable.
    @discardableResult
    public func put(record: SignedRecord, expectedSeq: UInt64? = nil) async throws -> PutOutcome {
        let stored = self.record(for: record.key)
        if case .reject(let error) = RecordRules.decide(new: record, stored: stored, expectedSeq: expectedSeq) {
            throw BlockStoreError(error)
        }
        if stored == nil, recordCount(of: record.ownerKey) >= settings.maxRecordsPerOwner {
            throw BlockStoreError(.tooManyRecords, "its owner has \(settings.maxRecordsPerOwner) records here already, the most a node keeps for one user")
        }
        return try await withCheckedThrowingContinuation { continuation in
            enqueue(.record(record, expectedSeq, continuation))
        }
    }

    /// How many record keys `owner` has here.
    public func recordCount(of owner: [UInt8]) -> Int {
        indexLock.lock()
        defer { indexLock.unlock() }
        return recordsPerOwner[owner] ?? 0
    }

    public func record(for key: Identifier) -> SignedRecord? {
        indexLock.lock()
        defer { indexLock.unlock() }
        return records[key]
    }

    public var stats: Stats {
        indexLock.lock()
        defer { indexLock.unlock() }
        return Stats(blocks: index.count, blockBytes: blockBytes, records: records.count, segments: segments.count,
                     syncs: syncCount, truncatedBytesAtOpen: truncatedAtOpen)
    }

    /// Stops the writer after the puts already queued and releases the data path lock; later puts fail with `closed`.
    /// Reads keep working on the open segments.
    public func close() {
        queue.lock()
        closing = true
        queue.broadcast()
        while !writerDone { queue.wait() }
        queue.unlock()
        // A compaction running stops before its next entry (it sees `closing`); none starts after this.
        compactionLock.lock()
        compactionLock.unlock()
        // The writer thread holds a reference to the store, and so may a caller: the lock cannot wait for deinit.
        lock.release()
    }

    /// Whether `close` was called (or writes were refused after a failure).
    var isClosing: Bool {
        queue.lock()
        defer { queue.unlock() }
        return closing
    }

    /// Writes queued and not yet taken by the writer (the compactor waits while there are any).
    public var queuedWrites: Int {
        queue.lock()
        defer { queue.unlock() }
        return pending.count
    }

    // MARK: Writer

    func enqueue(_ write: PendingWrite) {
        queue.lock()
        if closing {
            queue.unlock()
            let error = BlockStoreError(.closed, "the block store is shutting down")
            switch write {
            case .block(_, _, let c): c.resume(throwing: error)
            case .blocks(_, let c): c.resume(throwing: error)
            case .record(_, _, let c), .inboxEntry(_, let c), .inboxRemoval(_, let c), .lease(_, let c): c.resume(throwing: error)
            case .drop: break
            }
            return
        }
        pending.append(write)
        queue.signal()
        queue.unlock()
    }

    private func writerLoop() {
        while true {
            queue.lock()
            while pending.isEmpty && !closing { queue.wait() }
            if pending.isEmpty && closing {
                writerDone = true
                queue.broadcast()
                queue.unlock()
                return
            }
            let batch = pending
            pending = []
            queue.unlock()
            commit(batch)
        }
    }

    /// Appends a batch, syncs once, then publishes and acknowledges it.
    private func commit(_ batch: [PendingWrite]) {
        var newBlocks: [(Identifier, LogLocation)] = []
        var newRecords: [Identifier: SignedRecord] = [:]
        var recordAt: [Identifier: LogLocation] = [:]
        var written: [(location: LogLocation, live: Bool)] = []  // for `usage`; blocks and records revive when published
        var newInboxes: [Identifier: InboxState] = [:]
        var outcomes: [Result<PutOutcome, Error>] = []
        outcomes.reserveCapacity(batch.count)
        var seen = Set<Identifier>()
        var otherEntries = 0  // drops and lease entries
        let batchStart = (file: current, offset: currentOffset)
        /// Appends a block unless it is held or already in this batch.
        func appendBlock(_ id: Identifier, _ bytes: [UInt8]) throws -> PutOutcome {
            if seen.contains(id) || contains(id) { return .alreadyPresent }
            let location = try append(kind: .block, key: id, payload: bytes)
            written.append((location, false))
            seen.insert(id)
            newBlocks.append((id, location))
            return .stored
        }
        do {
            for write in batch {
                switch write {
                case .block(let id, let bytes, _):
                    outcomes.append(.success(try appendBlock(id, bytes)))
                case .blocks(let blocks, _):
                    for (id, bytes) in blocks { outcomes.append(.success(try appendBlock(id, bytes))) }
                case .record(let record, let expectedSeq, _):
                    let stored = newRecords[record.key] ?? self.record(for: record.key)
                    switch RecordRules.decide(new: record, stored: stored, expectedSeq: expectedSeq) {
                    case .reject(let error):
                        outcomes.append(.failure(BlockStoreError(error)))
                    case .refresh:
                        outcomes.append(.success(.alreadyPresent))
                    case .store:
                        let location = try append(kind: .record, key: record.key, payload: record.encoded())
                        written.append((location, false))
                        newRecords[record.key] = record
                        recordAt[record.key] = location
                        outcomes.append(.success(.stored))
                    }
                case .drop(let drop):
                    written.append((try append(kind: .drop, key: drop.key, payload: drop.encoded()), true))
                    otherEntries += 1
                    outcomes.append(.success(.stored))
                case .lease(let entry, _):
                    written.append((try append(kind: entry.kind, key: entry.key, payload: entry.encoded()), true))
                    otherEntries += 1
                    outcomes.append(.success(.stored))
                case .inboxEntry(let entry, _):
                    var inbox = newInboxes[entry.inboxKey] ?? inboxState(for: entry.owner)
                    switch inbox.post(entry) {
                    case .reject(let error):
                        outcomes.append(.failure(BlockStoreError(error)))
                    case .duplicate:
                        outcomes.append(.success(.alreadyPresent))
                    case .store:
                        written.append((try append(kind: .inboxEntry, key: entry.inboxKey, payload: entry.encoded()), true))
                        newInboxes[entry.inboxKey] = inbox
                        outcomes.append(.success(.stored))
                    }
                case .inboxRemoval(let removal, _):
                    var inbox = newInboxes[removal.inboxKey] ?? inboxState(for: removal.owner)
                    do {
                        if try inbox.apply(removal) > 0 {
                            written.append((try append(kind: .inboxRemoval, key: removal.inboxKey, payload: removal.encoded()), true))
                            newInboxes[removal.inboxKey] = inbox
                            outcomes.append(.success(.stored))
                        } else {
                            outcomes.append(.success(.alreadyPresent))
                        }
                    } catch let error as ModelError {
                        outcomes.append(.failure(BlockStoreError(error)))
                    }
                }
            }
            if settings.syncWrites && (!newBlocks.isEmpty || !newRecords.isEmpty || !newInboxes.isEmpty || otherEntries > 0) {
                try current.sync()
            }
        } catch {
            logger.error("write failed; the batch is not acknowledged", metadata: ["error": "\(error)"])
            // Cut the partial batch off, so that later acknowledged writes never sit behind junk that start-up would
            // take for a torn tail. If even that fails, stop accepting writes rather than risk it.
            do {
                if current !== batchStart.file { try current.truncate(to: SegmentFile.fileHeader.count) }
                currentOffset = current === batchStart.file ? batchStart.offset : SegmentFile.fileHeader.count
                try current.truncate(to: currentOffset)
            } catch {
                logger.critical("cannot undo a failed write; refusing further writes", metadata: ["error": "\(error)"])
                queue.lock()
                closing = true
                queue.unlock()
            }
            outcomes = Array(repeating: .failure(error), count: batch.reduce(0) { $0 + $1.outcomeCount })
            newBlocks = []
            newRecords = [:]
            newInboxes = [:]
            written = []
        }
        indexLock.lock()
        for entry in written { usage.appended(entry.location, live: entry.live) }
        for (id, location) in newBlocks where index[id] == nil {
            index[id] = location
            blockBytes += location.length
            usage.revived(location)
            leases.clearTombstone(id)  // the same content was stored again
        }
        for (key, record) in newRecords {
            if records[key] == nil { recordsPerOwner[record.ownerKey, default: 0] += 1 }
            records[key] = record
            if let old = recordLocations[key] { usage.superseded(old) }
            recordLocations[key] = recordAt[key]!
            usage.revived(recordAt[key]!)
        }
        for (key, inbox) in newInboxes { inboxes[key] = inbox }
        if !newBlocks.isEmpty || !newRecords.isEmpty || !newInboxes.isEmpty { syncCount += 1 }
        indexLock.unlock()
        var next = outcomes.startIndex
        for write in batch {
            let range = next..<(next + write.outcomeCount)
            next = range.upperBound
            switch write {
            case .block(_, _, let c): c.resume(with: outcomes[range.lowerBound])
            case .blocks(_, let c): c.resume(with: Result { try outcomes[range].map { try $0.get() } })
            case .record(_, _, let c), .inboxEntry(_, let c), .inboxRemoval(_, let c), .lease(_, let c):
                c.resume(with: outcomes[range.lowerBound])
            case .drop: break
            }
        }
    }

    private func append(kind: EntryHeader.Kind, key: Identifier, payload: [UInt8]) throws -> LogLocation {
        let entrySize = EntryHeader.size + payload.count
        if currentOffset + entrySize > settings.maxSegmentSize && currentOffset > SegmentFile.fileHeader.count {
            try rollSegment()
        }
        let header = EntryHeader(kind: kind, key: key, payload: payload)
        try header.encoded().withUnsafeBytes { head in
            try payload.withUnsafeBytes { try current.write(head, $0, at: currentOffset) }
        }
        let location = LogLocation(segment: current.number, offset: currentOffset + EntryHeader.size, length: payload.count,
                                   header: header)
        currentOffset += entrySize
        return location
    }

    private func rollSegment() throws {
        if settings.syncWrites { try current.sync() }
        let number = current.number + 1
        let file = try SegmentFile(number: number, path: segmentsPath + "/" + SegmentFile.name(for: number), create: true)
        try SegmentFile.fileHeader.withUnsafeBytes { try file.write($0, at: 0) }
        try file.sync()
        try syncDirectory(segmentsPath)
        indexLock.lock()
        segments[number] = file
        indexLock.unlock()
        current = file
        currentOffset = SegmentFile.fileHeader.count
        logger.debug("started a new segment", metadata: ["segment": "\(number)"])
    }

    // MARK: Recovery

    private struct Recovered {
        var index: [Identifier: LogLocation] = [:]
        var records: [Identifier: SignedRecord] = [:]
        var inboxes: [Identifier: InboxState] = [:]
        var leases = LeaseTable()
        var segments: [Int: SegmentFile] = [:]
        var blockBytes = 0
        var recordLocations: [Identifier: LogLocation] = [:]
        var usage = SegmentUsage()
        var truncated = 0
        var damaged = 0
        var current: SegmentFile! = nil
        var currentOffset = 0
    }

    /// Scans every segment in order, rebuilding the index and truncating a torn tail of the newest one.
    private static func recover(segmentsPath: String, settings: BlockStoreSettings, logger: Logger) throws -> Recovered {
        var r = Recovered()
        let numbers = try segmentNumbers(in: segmentsPath)
        var lastEnd = 0
        for (i, number) in numbers.enumerated() {
            let isLast = i == numbers.count - 1
            let file = try SegmentFile(number: number, path: segmentsPath + "/" + SegmentFile.name(for: number), create: false)
            let scan = try SegmentScanner.scan(file, verifyPayloads: isLast || settings.verifyAllSegmentsOnOpen)
            for found in scan.entries {
                r.usage.appended(found.location, live: found.header.kind != .block && found.header.kind != .record)
                switch found.header.kind {
                case .block:
                    if r.index[found.header.key] == nil {
                        r.index[found.header.key] = found.location
                        r.blockBytes += found.location.length
                        r.usage.revived(found.location)
                        r.leases.clearTombstone(found.header.key)
                    }
                case .record:
                    if let record = found.record, record.seq >= (r.records[record.key]?.seq ?? 0) {
                        r.records[record.key] = record
                        if let old = r.recordLocations[record.key] { r.usage.superseded(old) }
                        r.recordLocations[record.key] = found.location
                        r.usage.revived(found.location)
                    }
                case .drop:
                    if let drop = found.drop, let location = r.index[drop.key], drop.drops(location) {
                        r.index[drop.key] = nil
                        r.blockBytes -= location.length
                        r.usage.superseded(location)
                    } else if let drop = found.drop, let location = r.recordLocations[drop.key], drop.drops(location) {
                        // A record the scrubber found damaged (BlockStore+Scrub.swift); older logs drop blocks only.
                        r.records[drop.key] = nil
                        r.recordLocations[drop.key] = nil
                        r.usage.superseded(location)
                    }
                case .inboxEntry:
                    if let entry = found.inboxEntry {
                        r.inboxes[entry.inboxKey, default: InboxState(owner: entry.owner, limits: settings.inboxLimits)].restore(entry)
                    }
                case .inboxRemoval:
                    if let removal = found.inboxRemoval {
                        r.inboxes[removal.inboxKey, default: InboxState(owner: removal.owner, limits: settings.inboxLimits)]
                            .restore(removal)
                    }
                case .lease, .leaseRelease, .tombstone:
                    guard let entry = found.leaseEntry else { break }
                    entry.replay(into: &r.leases)
                    if case .tombstone(let id, _) = entry, let location = r.index.removeValue(forKey: id) {
                        r.blockBytes -= location.length
                        r.usage.superseded(location)
                    }
                }
            }
            r.damaged += scan.corruptEntries
            if scan.corruptEntries > 0 || scan.skippedBytes > 0 {
                logger.error("damaged entries skipped at start-up; replicas can supply them again", metadata: [
                    "segment": "\(number)", "entries": "\(scan.corruptEntries)", "bytes": "\(scan.skippedBytes)"])
            }
            if scan.validEnd < scan.fileSize {
                let lost = scan.fileSize - scan.validEnd
                if isLast {
                    logger.warning("truncating a torn tail at start-up", metadata: [
                        "segment": "\(number)", "offset": "\(scan.validEnd)", "bytes": "\(lost)"])
                    try file.truncate(to: scan.validEnd)
                    r.truncated += lost
                } else {
                    logger.error("corrupt entry inside a sealed segment; entries after it are not indexed", metadata: [
                        "segment": "\(number)", "offset": "\(scan.validEnd)"])
                }
            }
            r.segments[number] = file
            if isLast { lastEnd = scan.validEnd }
        }
        if let last = numbers.last, lastEnd >= SegmentFile.fileHeader.count {
            r.current = r.segments[last]!
            r.currentOffset = lastEnd
        } else {
            // No segment yet, or the newest one lost even its header in a crash: (re)start it.
            let number = numbers.last ?? 1
            let file: SegmentFile
            if let stale = r.segments[number] {
                try stale.truncate(to: 0)
                file = stale
            } else {
                file = try SegmentFile(number: number, path: segmentsPath + "/" + SegmentFile.name(for: number), create: true)
            }
            try SegmentFile.fileHeader.withUnsafeBytes { try file.write($0, at: 0) }
            try file.sync()
            try syncDirectory(segmentsPath)
            r.segments[number] = file
            r.current = file
            r.currentOffset = SegmentFile.fileHeader.count
        }
        return r
    }

    private static func segmentNumbers(in directory: String) throws -> [Int] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw BlockStoreError(.io, "cannot list \(directory): \(error.localizedDescription)")
        }
        return names.compactMap { name in
            guard name.hasSuffix(".seg") else { return nil }
            return Int(name.dropLast(4))
        }.sorted()
    }
}
