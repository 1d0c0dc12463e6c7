#if canImport(Glibc)
import Glibc
#endif
import BlockStore
import PeerStoreCrypto

/// The segment scanner start-up runs (`SegmentScanSummary.scan`) on the input written as a segment file. Byte 0's
/// bits: 1, verify payloads (as after a damaged header); 2, keep the input's own first bytes instead of the segment
/// file header; 4, repair the checksum of every entry header ("PSE1" to "PSE3") in the input, so that mutated headers are
/// read and the payload decoders behind them (record, drop, inbox, lease entries) are reached. The file is in
/// `TMPDIR` (scripts/fuzz.sh puts it in memory, /dev/shm, where it can).
enum SegmentTarget {
    static let fileHeader = Array("PEERSTORE-SEG-v1".utf8)
    static let magic = Array("PSE1".utf8)
    static let path: String = {
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(base)/peerstore-fuzz-segment.XXXXXX".utf8CString)
        guard let folder = mkdtemp(&template) else { fatalError("cannot make a temp folder") }
        return String(cString: folder) + "/0000000001.seg"
    }()

    static func run(_ data: [UInt8]) {
        guard let flags = data.first else { return }
        var file = flags & 2 != 0 ? Array(data.dropFirst()) : fileHeader + data.dropFirst()
        if flags & 4 != 0 { repairHeaderChecksums(&file) }
        write(file)
        guard let summary = try? SegmentScanSummary.scan(path: path, verifyPayloads: flags & 1 != 0) else { return }
        require(summary.validEnd <= summary.fileSize && summary.entries + summary.corruptEntries <= file.count / 52 + 1,
                "segment: a scan result out of bounds: \(summary)")
    }

    /// Writes the checksum (BLAKE2b-128 of the header bytes before it, its first 8 bytes, 4 for PSE3) of every whole
    /// entry header that starts with a magic, as `EntryHeader.encoded` does: at 44 for PSE1, at 52 for PSE2 and at 49
    /// for PSE3 (after the payload XXH3-64).
    static func repairHeaderChecksums(_ bytes: inout [UInt8]) {
        var i = 0
        while i + 52 <= bytes.count {
            if bytes[i] == magic[0], bytes[i + 1] == magic[1], bytes[i + 2] == magic[2], (0x31...0x33).contains(bytes[i + 3]) {
                let (at, count) = bytes[i + 3] == 0x31 ? (44, 8) : bytes[i + 3] == 0x32 ? (52, 8) : (49, 4)
                if i + at + count <= bytes.count {
                    let sum = Blake2b.hash(Array(bytes[i..<(i + at)]), outputLength: 16)
                    bytes.replaceSubrange((i + at)..<(i + at + count), with: sum.prefix(count))
                }
            }
            i += 1
        }
    }

    static func write(_ bytes: [UInt8]) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { fatalError("cannot write \(path)") }
        defer { close(fd) }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, bytes.count - done) }
            guard n > 0 else { fatalError("cannot write \(path)") }
            done += n
        }
    }
}
