import Foundation
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// Small sizes keep the debug-build tests fast; the algorithm is the same at 256 KiB / 1 MiB / 4 MiB.
let smallChunks = ChunkerSettings(minSize: 2 << 10, averageSize: 8 << 10, maxSize: 32 << 10)

func chunks(of data: [UInt8], settings: ChunkerSettings = smallChunks) -> [[UInt8]] {
    let cdc = FastCDC(settings: settings)
    var out: [[UInt8]] = []
    var start = 0
    while start < data.count {
        let cut = data.withUnsafeBytes { cdc.cutPoint(UnsafeRawBufferPointer(rebasing: $0[start..<min(data.count, start + settings.maxSize)])) }
        out.append(Array(data[start..<(start + cut)]))
        start += cut
    }
    return out
}

struct ChunkerTests {
    @Test func chunksRespectBoundsAndReassemble() {
        var rng = SeededRandom(seed: 11)
        let data = rng.bytes(2 << 20)
        let parts = chunks(of: data)
        #expect(parts.flatMap { $0 } == data)
        for part in parts.dropLast() {
            #expect(part.count >= smallChunks.minSize && part.count <= smallChunks.maxSize)
        }
        // Normalized chunking keeps the mean near the target average.
        let mean = Double(data.count) / Double(parts.count)
        #expect(mean > Double(smallChunks.averageSize) * 0.6 && mean < Double(smallChunks.averageSize) * 1.6, "mean \(mean)")
    }

    @Test func insertionEarlyMovesOnlyNearbyChunks() {
        var rng = SeededRandom(seed: 12)
        let data = rng.bytes(1 << 20)
        var edited = data
        edited.insert(contentsOf: rng.bytes(100), at: 5000)
        let before = Set(chunks(of: data).map { $0.hashValue })
        let afterChunks = chunks(of: edited)
        let changed = afterChunks.filter { !before.contains($0.hashValue) }.count
        #expect(afterChunks.count > 50)
        #expect(changed <= 3, "\(changed) of \(afterChunks.count) chunks changed")
    }

    @Test func insertionKeepsCutPointsAtDefaultSizes() {
        var rng = SeededRandom(seed: 14)
        let data = rng.bytes(24 << 20)
        var edited = data
        edited.insert(contentsOf: Array("inserted early in the file".utf8), at: 300_000)
        let before = Set(chunks(of: data, settings: .default).map { $0.hashValue })
        let after = chunks(of: edited, settings: .default)
        #expect(after.count >= 8)
        #expect(after.filter { !before.contains($0.hashValue) }.count <= 2)
    }

    @Test func zerosCutAtMaxSize() {
        let data = [UInt8](repeating: 0, count: 100 << 10)
        let parts = chunks(of: data)
        #expect(parts.dropLast().allSatisfy { $0.count == smallChunks.maxSize })
    }

    @Test func gearTableIsPinned() {
        // Changing the table would move every cut point and break deduplication against existing backups.
        #expect(GearTable.values.count == 256)
        #expect(Set(GearTable.values).count == 256)
        let fingerprint = GearTable.values.reduce(UInt64(0)) { $0 &* 31 &+ $1 }
        #expect(fingerprint == 11_182_373_021_311_111_073)
    }

    /// Writes `data` to a file and reads it back through a ChunkReader (its reads made on the file-read threads when
    /// `onReadThreads`): the chunks and the bytes read.
    private func readThroughFile(_ data: [UInt8], settings: ChunkerSettings, sizeHint: Int? = nil, onReadThreads: Bool = false)
        async throws -> ([[UInt8]], Int)
    {
        let tmp = try TemporaryDirectory(prefix: "chunk")
        defer { tmp.remove() }
        let path = tmp.sub("f")
        try Data(data).write(to: URL(fileURLWithPath: path))
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        var reader = ChunkReader(fd: fd, chunker: FastCDC(settings: settings), sizeHint: sizeHint)
        var streamed: [[UInt8]] = []
        while true {
            if onReadThreads { try await reader.fillOnReadThread() }
            guard let chunk = try reader.withNextChunk({ [UInt8]($0) }) else { break }
            streamed.append(chunk)
        }
        return (streamed, reader.bytesRead)
    }

    @Test func chunkReaderStreamsAFileInBoundedPieces() async throws {
        var rng = SeededRandom(seed: 13)
        let data = rng.bytes(3 << 20)
        let (streamed, bytesRead) = try await readThroughFile(data, settings: smallChunks)
        #expect(streamed == chunks(of: data))
        #expect(bytesRead == data.count)
    }

    /// A size hint smaller than the file (it grew since lstat) must not change where chunks are cut.
    @Test func chunkReaderWithATooSmallSizeHintCutsTheSame() async throws {
        var rng = SeededRandom(seed: 14)
        let data = rng.bytes(5 << 20)
        let settings = ChunkerSettings(minSize: 64 << 10, averageSize: 256 << 10, maxSize: 1 << 20)
        let (streamed, _) = try await readThroughFile(data, settings: settings, sizeHint: 1000)
        #expect(streamed == chunks(of: data, settings: settings))
        #expect(streamed.count > 5)
    }

    /// Reads made on the file-read threads cut the same chunks as reads made in place, through a size hint that is
    /// too small as well.
    @Test func chunkReaderFillingOnFileReadThreadsCutsTheSame() async throws {
        var rng = SeededRandom(seed: 15)
        let data = rng.bytes(3 << 20)
        let (streamed, bytesRead) = try await readThroughFile(data, settings: smallChunks, sizeHint: 1000, onReadThreads: true)
        #expect(streamed == chunks(of: data))
        #expect(bytesRead == data.count)
    }

    /// With the default sizes the buffer holds the largest chunk and 1 MiB, less than two chunks: runs of largest
    /// chunks (zeros) between random stretches cut as in memory.
    @Test func chunkReaderWithDefaultSizesCutsAsInMemory() async throws {
        var rng = SeededRandom(seed: 16)
        let data = rng.bytes(5 << 20) + [UInt8](repeating: 0, count: 13 << 20) + rng.bytes(3 << 20)
        let (streamed, bytesRead) = try await readThroughFile(data, settings: .default, onReadThreads: true)
        #expect(streamed == chunks(of: data, settings: .default))
        #expect(streamed.filter { $0.count == ChunkerSettings.default.maxSize }.count >= 3)
        #expect(bytesRead == data.count)
    }

    @Test func defaultSettingsMatchTheDesign() {
        let s = ChunkerSettings.default
        #expect(s.minSize == 256 << 10 && s.averageSize == 1 << 20 && s.maxSize == 4 << 20)
    }
}
