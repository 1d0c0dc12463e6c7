import Testing

@testable import PeerStoreBackup

/// The file cache's index reservation is bounded by the bytes there are (a fuzzing finding: a short cache plaintext
/// whose header claims millions of entries reserved an index for all of them before failing).
@Suite struct FileCacheReservationTests {
    @Test func reservationNeverExceedsWhatTheBytesCanHold() {
        #expect(FileCache.reservation(count: 4 << 20, bytesLeft: 0) == 0)
        #expect(FileCache.reservation(count: 4 << 20, bytesLeft: 10 * FileCache.minimumRecordSize + 3) == 10)
        #expect(FileCache.reservation(count: 3, bytesLeft: 1 << 20) == 3)
        #expect(FileCache.reservation(count: UInt32.max, bytesLeft: Int.max) == 1 << 22)
    }

    /// The smallest record a real cache holds is `minimumRecordSize` bytes: the bound never reserves too little.
    @Test func minimumRecordSizeIsTheSmallestRealRecord() throws {
        var writer = FileCacheWriter()
        let time = Timestamp(seconds: 1, nanoseconds: 0)
        writer.add(path: LocalPath(bytes: []), FileCacheEntry(size: 0, mtime: time, ctime: time, inode: 1, device: 1, content: .none))
        let one = writer.finish(device: "", started: 0, chunker: ChunkerSettings())
        let empty = FileCacheWriter().finish(device: "", started: 0, chunker: ChunkerSettings())
        #expect(one.count - empty.count == FileCache.minimumRecordSize)
        #expect(try FileCache(plaintext: one).count == 1)
    }

    /// The fuzzer's input: a 37-byte cache header claiming 4,194,304 entries and none after it is refused.
    @Test func shortCacheClaimingMillionsOfEntriesIsRefused() throws {
        let empty = FileCacheWriter().finish(device: "laptop", started: 5, chunker: ChunkerSettings())
        #expect(empty.count == 37)
        let claimed = Array(empty.dropLast(4)) + [0, 0x40, 0, 0]
        #expect(throws: BackupError.self) { try FileCache(plaintext: claimed) }
    }
}
