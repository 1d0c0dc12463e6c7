import ChordRing
import NIOCore

/// Rebuilds the index from segment files at start-up and finds a torn tail.
struct SegmentScanner {
    struct Found {
        var header: EntryHeader
        var location: LogLocation
        var record: SignedRecord?
    }

    struct Result {
        var entries: [Found] = []
        /// Offset where valid data ends; bytes after it are a torn tail to truncate.
        var validEnd: Int
        var fileSize: Int
        /// Entries with an intact header but a payload that fails its hash or signature; skipped, not indexed.
        var damagedEntries = 0
    }

    /// Scans one segment. With `verifyPayloads`, every block is re-hashed and every record's signature checked.
    static func scan(_ file: SegmentFile, verifyPayloads: Bool) throws -> Result {
        let size = try file.size()
        let header = SegmentFile.fileHeader
        let start = try file.read(at: 0, count: header.count)
        guard start == header else { return Result(validEnd: 0, fileSize: size) }
        var result = Result(validEnd: header.count, fileSize: size)
        var offset = header.count
        while offset + EntryHeader.size <= size {
            let headerBytes = try file.read(at: offset, count: EntryHeader.size)
            guard let entry = headerBytes.withUnsafeBytes({ EntryHeader.decode($0) }) else { break }
            let payloadOffset = offset + EntryHeader.size
            let end = payloadOffset + Int(entry.length)
            guard end <= size else { break }
            var record: SignedRecord?
            // An intact header whose payload fails its check (torn write or bit rot) loses that entry only: it is not
            // indexed, and scanning goes on, so that whole entries written after it are not truncated away.
            var intact = true
            if entry.kind == .record || verifyPayloads {
                let payload = try file.read(at: payloadOffset, count: Int(entry.length))
                switch entry.kind {
                case .block:
                    intact = BlockID.of(payload) == entry.key
                case .record:
                    if let r = try? SignedRecord.decode(payload), r.key == entry.key, !verifyPayloads || r.hasValidSignature {
                        record = r
                    } else {
                        intact = false
                    }
                }
            }
            if intact {
                result.entries.append(
                    Found(header: entry, location: LogLocation(segment: file.number, offset: payloadOffset, length: Int(entry.length)),
                          record: record))
            } else {
                result.damagedEntries += 1
            }
            offset = end
            result.validEnd = end
        }
        return result
    }
}
