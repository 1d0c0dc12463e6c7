import ChordRing
import Foundation
import PeerStoreModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension BlockStore {
    /// What one compaction did.
    public struct CompactionResult: Sendable, Equatable {
        public var segment: Int
        /// The segment's size before and after (0 after: it held nothing to keep and was removed).
        public var bytesBefore: Int
        public var bytesAfter: Int
        public var entriesKept: Int
        public var entriesRemoved: Int

        public var bytesReclaimed: Int { bytesBefore - bytesAfter }
    }

    /// Suffix of the file a compaction writes before it renames it over the segment; one left by a crash is removed
    /// at open.
    static let compactionSuffix = ".compacting"

    /// Each segment's live and total bytes (`SegmentUsage`), oldest first.
    public var segmentUsage: [CompactionPlan.Segment] {
        indexLock.lock()
        defer { indexLock.unlock() }
        return usage.segments
    }

    /// The segment being appended to (never compacted).
    public var currentSegment: Int {
        indexLock.lock()
        defer { indexLock.unlock() }
        return segments.keys.max() ?? 0
    }

    /// Compacts the segment `plan` picks, if any.
    public func compactNext(_ plan: CompactionPlan, between: (() -> Void)? = nil) throws -> CompactionResult? {
        guard let next = plan.next(segmentUsage, current: currentSegment) else { return nil }
        return try compact(segment: next.number, between: between)
    }

    /// Rewrites one sealed segment in place with only the entries it must keep (docs/formats.md, *Compaction*):
    /// the live blocks (verified on the way), the current records, and every other entry, in their order, into
    /// `<segment>.compacting`; fdatasync; rename over the segment; fsync the directory; then the index moves to the new
    /// offsets where it still points at the old ones (a delete or drop meanwhile wins). Log order is unchanged, so
    /// start-up sees the same store from the old file or the new one, and a crash leaves one or the other. Extra disk:
    /// the kept part of one segment. `between` runs before each entry is copied (the node's compactor waits there
    /// while client writes are queued). Throws for the current segment, an unknown one, or a closed store.
    @discardableResult
    public func compact(segment number: Int, between: (() -> Void)? = nil) throws -> CompactionResult {
        compactionLock.lock()
        defer { compactionLock.unlock() }
        guard !isClosing else { throw BlockStoreError(.closed, "the block store is shutting down") }
        indexLock.lock()
        let old = segments[number]
        let current = segments.keys.max()
        indexLock.unlock()
        guard let old, number != current else {
            throw BlockStoreError(.io, "segment \(number) is not a sealed segment of this store; nothing compacted")
        }
        let before = try old.size()
        let scan = try SegmentScanner.scan(old, verifyPayloads: false)
        indexLock.lock()
        let keep = scan.entries.map { found -> Bool in
            switch found.header.kind {
            case .block: index[found.header.key] == found.location
            case .record: recordLocations[found.header.key] == found.location
            default: true
            }
        }
        indexLock.unlock()

        let tempPath = old.path + Self.compactionSuffix
        unlink(tempPath)
        var moved: [(header: EntryHeader, from: LogLocation, to: LogLocation)] = []
        var corrupt: [(Identifier, LogLocation)] = []
        var temp: SegmentFile? = nil
        var offset = SegmentFile.fileHeader.count
        do {
            for (found, kept) in zip(scan.entries, keep) where kept {
                between?()
                guard !isClosing else { throw BlockStoreError(.closed, "the block store is shutting down; compaction stopped") }
                let payload = try old.read(at: found.location.offset, count: found.location.length)
                if found.header.kind == .block && (payload.count != found.location.length || BlockID.of(payload) != found.header.key) {
                    corrupt.append((found.header.key, found.location))
                    continue
                }
                if temp == nil {
                    temp = try SegmentFile(number: number, path: tempPath, create: true)
                    try SegmentFile.fileHeader.withUnsafeBytes { try temp!.write($0, at: 0) }
                }
                // Byte for byte: an entry keeps its header version (its header re-encodes to the same bytes).
                let header = found.header.encoded()
                try header.withUnsafeBytes { try temp!.write($0, at: offset) }
                try payload.withUnsafeBytes { try temp!.write($0, at: offset + header.count) }
                moved.append((found.header, found.location,
                              LogLocation(segment: number, offset: offset + header.count, length: payload.count,
                                          header: found.header)))
                offset += header.count + payload.count
            }
            if let temp {
                // Always, whatever syncWrites says: the rename replaces a segment that is on disk already.
                try temp.sync()
                guard rename(tempPath, old.path) == 0 else { throw BlockStoreError.io("rename \(tempPath)", errno) }
            } else {
                guard unlink(old.path) == 0 else { throw BlockStoreError.io("unlink \(old.path)", errno) }
            }
        } catch {
            unlink(tempPath)
            throw error
        }
        // The new file is in place (or the old one gone): the index must follow even if the directory sync fails,
        // which only leaves the rename to be made durable by the next sync of the directory.
        do { try syncDirectory(segmentsPath) } catch {
            logger.error("cannot sync the segments folder after a compaction", metadata: ["error": "\(error)"])
        }
        let reopened = try temp.map { _ in try SegmentFile(number: number, path: old.path, create: false) }
        switchIndex(segment: number, to: reopened, moved: moved, corrupt: corrupt)
        let result = CompactionResult(segment: number, bytesBefore: before, bytesAfter: temp == nil ? 0 : offset,
                                      entriesKept: moved.count, entriesRemoved: scan.entries.count - moved.count)
        logger.debug("compacted a segment", metadata: [
            "segment": "\(number)", "before": "\(before)", "after": "\(result.bytesAfter)", "kept": "\(moved.count)"])
        if !corrupt.isEmpty {
            logger.error("blocks failed their hash during compaction; dropped", metadata: ["count": "\(corrupt.count)"])
        }
        return result
    }

    /// Points the index at the rewritten segment where it still points at the old offsets, and recounts its usage.
    /// A kept block the index let go of meanwhile (a drop) gets a drop entry at its new place, so that a restart
    /// agrees; a block found corrupt leaves the index with a drop entry, as a read would.
    private func switchIndex(segment number: Int, to file: SegmentFile?, moved: [(header: EntryHeader, from: LogLocation, to: LogLocation)],
                             corrupt: [(Identifier, LogLocation)]) {
        indexLock.lock()
        defer { indexLock.unlock() }
        segments[number] = file
        var live = 0
        var total = 0
        for entry in moved {
            let size = SegmentUsage.size(entry.to)
            total += size
            switch entry.header.kind {
            case .block:
                if index[entry.header.key] == entry.from {
                    index[entry.header.key] = entry.to
                    live += size
                } else if index[entry.header.key] == nil && !leases.isTombstoned(entry.header.key) {
                    enqueue(.drop(DropEntry(key: entry.header.key, segment: number, offset: entry.to.offset)))
                }
            case .record:
                if recordLocations[entry.header.key] == entry.from {
                    recordLocations[entry.header.key] = entry.to
                    live += size
                }
            default:
                live += size
            }
        }
        for (id, location) in corrupt where index[id] == location {
            index[id] = nil
            blockBytes -= location.length
            enqueue(.drop(DropEntry(key: id, segment: location.segment, offset: location.offset)))
        }
        if file == nil { usage.remove(segment: number) } else { usage.set(segment: number, live: live, total: total) }
    }

    /// Removes `*.compacting` files a crash left behind (the segment they were meant to replace is intact).
    static func removeCompactionLeftovers(in directory: String) throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasSuffix(compactionSuffix) {
            guard unlink(directory + "/" + name) == 0 else { throw BlockStoreError.io("remove \(name)", errno) }
        }
    }
}
