import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// The finder of holes a restored file may leave: zero runs of whole 4 KiB file blocks and zero pieces at the ends.
struct ZeroRunsTests {
    let block = ZeroRuns.blockSize

    /// `count` bytes, all 0xab except the zero ranges given.
    func bytes(_ count: Int, zeros: [Range<Int>]) -> [UInt8] {
        var out = [UInt8](repeating: 0xab, count: count)
        for r in zeros { for i in r { out[i] = 0 } }
        return out
    }

    @Test func allZerosIsOneHoleAtAnyOffset() {
        for offset in [0, 1, 4095, 4096, 10_000] {
            #expect(ZeroRuns.holes(in: [UInt8](repeating: 0, count: 3 * block + 17), fileOffset: offset) == [0..<(3 * block + 17)])
        }
        #expect(ZeroRuns.holes(in: [UInt8](), fileOffset: 0) == [])
    }

    @Test func dataHasNoHoles() {
        var rng = SeededRandom(seed: 1)
        let data = rng.bytes(5 * block).map { $0 | 1 }
        #expect(ZeroRuns.holes(in: data, fileOffset: 0) == [])
        #expect(ZeroRuns.holes(in: data, fileOffset: 123) == [])
    }

    @Test func zeroRunsAreCutToAlignedBlocks() {
        // Aligned buffer: zeros 1000..<3*4096+5000 cover blocks 1 and 2 (and part of 0 and 3): holes 4096..<12288.
        let b = bytes(6 * block, zeros: [1000..<(3 * block + 500)])
        #expect(ZeroRuns.holes(in: b, fileOffset: 0) == [block..<(3 * block)])
        // The same bytes 100 bytes into a block: the blocks start at 3996, 8092, ...
        #expect(ZeroRuns.holes(in: b, fileOffset: 100) == [(block - 100)..<(3 * block - 100)])
        // Two runs, one of them shorter than a block: only the long one.
        let two = bytes(8 * block, zeros: [(block)..<(2 * block - 1), (4 * block)..<(6 * block)])
        #expect(ZeroRuns.holes(in: two, fileOffset: 0) == [(4 * block)..<(6 * block)])
    }

    @Test func oneNonZeroByteKeepsItsBlock() {
        for position in [0, 7, 8, 31, 32, 4095] {
            var b = [UInt8](repeating: 0, count: 3 * block)
            b[block + position] = 1
            #expect(ZeroRuns.holes(in: b, fileOffset: 0) == [0..<block, (2 * block)..<(3 * block)], "\(position)")
        }
    }

    @Test func zeroPiecesAtTheEndsAreHoles() {
        // Starts 4000 bytes into a block: the first 96 bytes finish that block; zero, so they are skipped.
        let b = bytes(96 + block + 50, zeros: [0..<96, (96 + block)..<(96 + block + 50)])
        #expect(ZeroRuns.holes(in: b, fileOffset: 4000) == [0..<96, (96 + block)..<(96 + block + 50)])
        // A zero piece at the start that is followed by a zero block joins it.
        let c = bytes(96 + 2 * block, zeros: [0..<(96 + block)])
        #expect(ZeroRuns.holes(in: c, fileOffset: 4000) == [0..<(96 + block)])
    }

    /// Writing only what is not a hole gives back the same bytes (checked against a byte-by-byte model).
    @Test func holesAreExactlyTheZeroBlocksOfRandomLayouts() {
        var rng = SeededRandom(seed: 7)
        for _ in 0..<200 {
            let count = Int(rng.next() % UInt64(5 * block))
            var b = [UInt8](repeating: 0, count: count)
            for _ in 0..<Int(rng.next() % 6) where count > 0 {
                let at = Int(rng.next() % UInt64(count))
                b[at] = UInt8(rng.next() % 255) + 1
            }
            let offset = Int(rng.next() % UInt64(3 * block))
            // Model: the block pieces (cut at aligned file offsets) that are all zero, merged.
            var model: [Range<Int>] = []
            var start = 0
            while start < count {
                let end = min(count, (offset + start) / block * block + block - offset)
                if b[start..<end].allSatisfy({ $0 == 0 }) {
                    if let last = model.last, last.upperBound == start { model[model.count - 1] = last.lowerBound..<end } else { model.append(start..<end) }
                }
                start = end
            }
            #expect(ZeroRuns.holes(in: b, fileOffset: offset) == model, "count \(count) offset \(offset)")
        }
    }
}
