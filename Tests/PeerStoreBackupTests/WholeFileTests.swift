import Foundation
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// A small file read whole for a backup: its bytes and metadata, read again when it changed, left to the streamed read
/// when it outgrew the limit, refused when replaced, and its access time left alone.
struct WholeFileTests {
    private func file(_ tmp: TemporaryDirectory, _ name: String, _ bytes: [UInt8]) throws -> String {
        let path = tmp.sub(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func read(_ path: String, limit: Int = 1 << 20, afterRead: ((Int) -> Void)? = nil) throws -> WholeFile? {
        try WholeFile.read(LocalPath(path), info: try FileInfo.lstat(path), limit: limit, attempts: 2, afterRead: afterRead)
    }

    @Test func aSettledFileIsReadWholeOnce() throws {
        let tmp = try TemporaryDirectory(prefix: "wholefile")
        defer { tmp.remove() }
        var rng = SeededRandom(seed: 21)
        let bytes = rng.bytes(3000)
        var reads: [Int] = []
        let whole = try #require(try read(try file(tmp, "f", bytes), afterRead: { reads.append($0) }))
        #expect(whole.bytes == bytes)
        #expect(whole.settled)
        #expect(whole.before.size == 3000 && whole.after == whole.before)
        #expect(reads == [0])
        let empty = try #require(try read(try file(tmp, "e", [])))
        #expect(empty.bytes.isEmpty && empty.settled)
    }

    @Test func aFileOverTheLimitIsLeftToTheStreamedRead() throws {
        let tmp = try TemporaryDirectory(prefix: "wholefile")
        defer { tmp.remove() }
        let path = try file(tmp, "f", [UInt8](repeating: 1, count: 1000))
        #expect(try read(path, limit: 999) == nil)
        #expect(try read(path, limit: 1000)?.bytes.count == 1000)
        // Grown since the walk's lstat: the read finds more than the limit.
        let info = try FileInfo.lstat(path)
        appendBytes(path, 5000)
        #expect(try WholeFile.read(LocalPath(path), info: info, limit: 4000, attempts: 2) == nil)
    }

    @Test func aFileReplacedSinceTheWalkSawItIsRefused() throws {
        let tmp = try TemporaryDirectory(prefix: "wholefile")
        defer { tmp.remove() }
        let path = try file(tmp, "f", [1, 2, 3])
        let info = try FileInfo.lstat(path)
        let other = try file(tmp, "g", [4, 5, 6])
        #expect(rename(other, path) == 0)
        #expect(throws: FileSystemError.self) { try WholeFile.read(LocalPath(path), info: info, limit: 100, attempts: 2) }
        unlink(path)
        let gone = #expect(throws: FileSystemError.self) { try WholeFile.read(LocalPath(path), info: info, limit: 100, attempts: 2) }
        #expect(gone?.description.hasPrefix("cannot open") == true)
    }

    @Test func aFileThatChangesWhileItIsReadIsReadAgain() throws {
        let tmp = try TemporaryDirectory(prefix: "wholefile")
        defer { tmp.remove() }
        let once = try file(tmp, "once", [UInt8](repeating: 7, count: 2000))
        let settled = try #require(try read(once, afterRead: { if $0 == 0 { appendBytes(once, 500) } }))
        #expect(settled.settled)
        #expect(settled.bytes.count == 2500 && settled.before.size == 2500)

        let always = try file(tmp, "always", [UInt8](repeating: 7, count: 2000))
        let unsettled = try #require(try read(always, afterRead: { _ in appendBytes(always, 500) }))
        #expect(!unsettled.settled)
        #expect(unsettled.bytes.count == 2500)  // what the second read saw; the second append came after it
        #expect(unsettled.after.size == 3000)
    }

    /// O_NOATIME: a file whose access time is older than its modification would have it set by the read (relatime).
    @Test func readingLeavesTheAccessTimeAlone() throws {
        let tmp = try TemporaryDirectory(prefix: "wholefile")
        defer { tmp.remove() }
        let path = try file(tmp, "f", [UInt8](repeating: 3, count: 100))
        var times = [timespec(tv_sec: 946_684_800, tv_nsec: 0), timespec(tv_sec: 978_307_200, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        _ = try read(path)
        var st = stat()
        #expect(stat(path, &st) == 0)
        #expect(st.st_atim.tv_sec == 946_684_800)
    }
}
