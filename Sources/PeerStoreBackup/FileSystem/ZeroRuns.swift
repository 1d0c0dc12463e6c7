/// Finds the parts of a buffer that a restored file can leave as holes: runs of zero bytes made of whole file blocks
/// (4 KiB, aligned on file offsets), plus the zero pieces of the blocks cut by the buffer's two ends. The file is new,
/// so whatever is not written reads as zeros; skipping an edge piece never splits a write.
///
/// Each block is checked 8 bytes at a time and the check stops at the first non-zero word, so data costs about one
/// compare per block.
enum ZeroRuns {
    static let blockSize = 4096

    /// Ranges of offsets into `bytes` (whose first byte is at `fileOffset` in the file) that are all zeros and may be
    /// skipped, in order, not touching each other.
    static func holes(in bytes: UnsafeRawBufferPointer, fileOffset: Int, blockSize: Int = blockSize) -> [Range<Int>] {
        precondition(blockSize > 0 && blockSize % 8 == 0 && fileOffset >= 0)
        var holes: [Range<Int>] = []
        var start = 0
        // The first block ends at the first aligned file offset after the start.
        var end = min(bytes.count, blockSize - fileOffset % blockSize)
        while start < bytes.count {
            if isZero(bytes, start..<end) {
                if let last = holes.last, last.upperBound == start {
                    holes[holes.count - 1] = last.lowerBound..<end
                } else {
                    holes.append(start..<end)
                }
            }
            start = end
            end = min(bytes.count, end + blockSize)
        }
        return holes
    }

    /// The same for an array (tests, small callers).
    static func holes(in bytes: [UInt8], fileOffset: Int, blockSize: Int = blockSize) -> [Range<Int>] {
        bytes.withUnsafeBytes { holes(in: $0, fileOffset: fileOffset, blockSize: blockSize) }
    }

    /// True when every byte of `range` is zero.
    static func isZero(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        var i = range.lowerBound
        let words = range.lowerBound + (range.count & ~31)
        while i < words {
            let a = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let b = bytes.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
            let c = bytes.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self)
            let d = bytes.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)
            if a | b | c | d != 0 { return false }
            i += 32
        }
        while i + 8 <= range.upperBound {
            if bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) != 0 { return false }
            i += 8
        }
        while i < range.upperBound {
            if bytes[i] != 0 { return false }
            i += 1
        }
        return true
    }
}
