import ChordRing
import NIOCore
import PeerStoreCrypto
import PeerStoreModel

/// Rebuilds the index from segment files at start-up and finds a torn tail.
///
/// Rules: an entry whose header is intact but whose payload fails its check (block hash, record signature, drop
/// checksum, inbox signatures, lease checksum) is skipped and counted, and the scan goes on: bit rot in one entry must
/// not cost the entries after it. A header that does not decode is either a torn tail (no valid header follows: the
/// valid data ends there) or damage in the middle (a valid header follows: the scan resumes there and the bytes between
/// are counted as lost). Drop entries are read in every segment (they are small); block payloads only with
/// `verifyPayloads`, and after a re-sync: entry headers carry an unkeyed checksum, so the magic found after damage may
/// lie inside a block's bytes, where anyone who may store could have put a forged entry. Signatures of records, inbox
/// entries and removals are always checked, in every segment: an older segment is trusted no more than the newest.
struct SegmentScanner {
    struct Found {
        var header: EntryHeader
        var location: LogLocation
        var record: SignedRecord?
        var drop: DropEntry?
        var inboxEntry: InboxEntry?
        var inboxRemoval: InboxRemoval?
        var leaseEntry: LeaseLogEntry?
    }

    struct Result {
        var entries: [Found] = []
        /// Offset where valid data ends; bytes after it are a torn tail to truncate.
        var validEnd: Int
        var fileSize: Int
        /// Entries skipped because their payload failed its check.
        var corruptEntries = 0
        /// Bytes skipped between a damaged header and the next valid one.
        var skippedBytes = 0
    }

    /// Scans one segment. With `verifyPayloads`, every block is re-hashed (and after a re-sync, in any case).
    static func scan(_ file: SegmentFile, verifyPayloads: Bool) throws -> Result {
        let size = try file.size()
        let header = SegmentFile.fileHeader
        let start = try file.read(at: 0, count: header.count)
        guard start == header else { return Result(validEnd: 0, fileSize: size) }
        var result = Result(validEnd: header.count, fileSize: size)
        var offset = header.count
        var verifyBlocks = verifyPayloads
        while offset + EntryHeader.minSize <= size {
            let headerBytes = try file.read(at: offset, count: min(EntryHeader.maxSize, size - offset))
            guard let entry = headerBytes.withUnsafeBytes({ EntryHeader.decode($0) }),
                offset + entry.encodedSize + Int(entry.length) <= size
            else {
                guard let next = try nextValidHeader(in: file, after: offset, size: size) else { break }
                result.skippedBytes += next - offset
                offset = next
                verifyBlocks = true
                continue
            }
            let payloadOffset = offset + entry.encodedSize
            let end = payloadOffset + Int(entry.length)
            var record: SignedRecord?
            var drop: DropEntry?
            var inboxEntry: InboxEntry?
            var inboxRemoval: InboxRemoval?
            var leaseEntry: LeaseLogEntry?
            var intact = true
            if entry.kind != .block || verifyBlocks {
                let payload = try file.read(at: payloadOffset, count: Int(entry.length))
                switch entry.kind {
                case .block:
                    // The full check, and the header's checksum must agree too: reads trust it alone.
                    intact = BlockID.matches(entry.key, payload)
                        && entry.payloadChecksum.map { XXH3.hash64(payload) == $0 } ?? true
                case .record:
                    if let r = try? SignedRecord.decode(payload), r.key == entry.key, r.hasValidSignature {
                        record = r
                    } else {
                        intact = false
                    }
                case .drop:
                    drop = DropEntry.decode(payload, key: entry.key)
                    intact = drop != nil
                case .inboxEntry:
                    inboxEntry = (try? InboxEntry.decode(payload)).flatMap {
                        $0.inboxKey == entry.key && $0.hasValidSignature ? $0 : nil
                    }
                    intact = inboxEntry != nil
                case .inboxRemoval:
                    inboxRemoval = (try? InboxRemoval.decode(payload)).flatMap {
                        $0.inboxKey == entry.key && $0.hasValidSignature ? $0 : nil
                    }
                    intact = inboxRemoval != nil
                case .lease, .leaseRelease, .tombstone:
                    leaseEntry = LeaseLogEntry.decode(payload, kind: entry.kind, key: entry.key)
                    intact = leaseEntry != nil
                }
            }
            if intact {
                let location = LogLocation(segment: file.number, offset: payloadOffset, length: Int(entry.length), header: entry)
                result.entries.append(Found(header: entry, location: location, record: record, drop: drop,
                                            inboxEntry: inboxEntry, inboxRemoval: inboxRemoval, leaseEntry: leaseEntry))
            } else {
                result.corruptEntries += 1
            }
            offset = end
            result.validEnd = end
        }
        return result
    }

    /// The offset of the next intact entry header after a damaged one, if any (a linear search for the magic).
    private static func nextValidHeader(in file: SegmentFile, after offset: Int, size: Int) throws -> Int? {
        var position = offset + 1
        let step = 1 << 20
        while position + EntryHeader.minSize <= size {
            let window = try file.read(at: position, count: min(step + EntryHeader.maxSize, size - position))
            var i = 0
            while i + EntryHeader.minSize <= window.count && i < step {
                if EntryHeader.isMagic(window, at: i),
                    let h = window.withUnsafeBytes({ EntryHeader.decode(UnsafeRawBufferPointer(rebasing: $0[i...])) }),
                    position + i + h.encodedSize + Int(h.length) <= size
                {
                    return position + i
                }
                i += 1
            }
            position += step
        }
        return nil
    }
}
