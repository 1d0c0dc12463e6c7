import ChordRing
import Foundation
import PeerStoreCrypto
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// Takes every put; has nothing.
private actor TakeAllSink: BlockSink {
    private(set) var stored: [Identifier: [UInt8]] = [:]
    func haveBlocks(_ ids: [Identifier]) async throws -> [Bool] { ids.map { stored[$0] != nil } }
    func putBlock(id: Identifier, bytes: [UInt8]) async throws -> Bool {
        stored[id] = bytes
        return true
    }
}

/// A file that changes while it is read: read again, and reported when it changes during that read too.
struct FileReaderTests {
    private static let chunker = FastCDC(settings: ChunkerSettings(minSize: 1 << 10, averageSize: 4 << 10, maxSize: 16 << 10))

    private func reader(afterChunk: (@Sendable (Int) -> Void)? = nil) -> FileReader {
        var reader = FileReader(chunker: Self.chunker, keys: KeyRing(masterKey: [UInt8](repeating: 7, count: 32)),
                                uploader: BlockUploader(client: TakeAllSink()), progress: nil, fetcher: nil,
                                wantsCacheEntry: true)
        reader.afterChunk = afterChunk
        return reader
    }

    private func file(_ bytes: Int) throws -> String {
        let path = NSTemporaryDirectory() + "filereader-\(UUID().uuidString)"
        try Data((0..<bytes).map { _ in UInt8.random(in: 0...255) }).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Changed during the first read only: read again, the final content stored, nothing to report, and cached.
    @Test func aFileThatChangesOnceIsStoredAsItsFinalContent() async throws {
        let path = try file(200_000)
        defer { unlink(path) }
        let info = try FileInfo.lstat(path)
        let appended = ManagedFlag()
        let outcome = try await reader(afterChunk: { attempt in
            if attempt == 0 && appended.setOnce() { appendBytes(path, 5000) }
        }).read(LocalPath(path), info: info)
        #expect(!outcome.changedWhileRead)
        #expect(outcome.size == 205_000)
        #expect(outcome.info.size == 205_000)
        #expect(outcome.cacheEntry != nil)
        // The same content a read of the settled file gives.
        let settled = try await reader().read(LocalPath(path), info: try FileInfo.lstat(path))
        #expect(outcome.content == settled.content)
    }

    /// Changed during both reads: the last read is stored and the outcome says it changed; it is not cached.
    @Test func aFileThatKeepsChangingIsReportedAndNotCached() async throws {
        let path = try file(200_000)
        defer { unlink(path) }
        let info = try FileInfo.lstat(path)
        let attempts = AttemptsSeen()
        let outcome = try await reader(afterChunk: { attempt in
            if attempts.first(attempt) { appendBytes(path, 5000) }
        }).read(LocalPath(path), info: info)
        #expect(outcome.changedWhileRead)
        #expect(outcome.cacheEntry == nil)
        #expect(outcome.size == 210_000)  // what the second read saw: both appends (the second came before its end)
        #expect(attempts.seen == [0, 1])
    }

    /// A file that does not change is read once.
    @Test func aSettledFileIsReadOnce() async throws {
        let path = try file(100_000)
        defer { unlink(path) }
        let attempts = AttemptsSeen()
        let outcome = try await reader(afterChunk: { _ = attempts.first($0) }).read(LocalPath(path), info: try FileInfo.lstat(path))
        #expect(!outcome.changedWhileRead)
        #expect(outcome.size == 100_000)
        #expect(attempts.seen == [0])
    }
}

/// A flag set once, from any thread.
private final class ManagedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var set = false
    func setOnce() -> Bool {
        lock.withLock {
            defer { set = true }
            return !set
        }
    }
}

/// The attempts a hook was called for; `first` is true the first time an attempt is seen.
private final class AttemptsSeen: @unchecked Sendable {
    private let lock = NSLock()
    private var attempts: [Int] = []
    var seen: [Int] { lock.withLock { attempts } }
    func first(_ attempt: Int) -> Bool {
        lock.withLock {
            if attempts.contains(attempt) { return false }
            attempts.append(attempt)
            return true
        }
    }
}

/// Small files read whole in a group: what a streamed read of each gives, a failed file failing alone, a file grown
/// past the limit read as a stream, and a file changing while read handled as the streamed read handles it.
struct FileReaderWholeFilesTests {
    private func reader(afterWholeRead: (@Sendable (Int) -> Void)? = nil) -> FileReader {
        var reader = FileReader(chunker: FastCDC(settings: ChunkerSettings(minSize: 1 << 10, averageSize: 4 << 10, maxSize: 16 << 10)),
                                keys: KeyRing(masterKey: [UInt8](repeating: 7, count: 32)),
                                uploader: BlockUploader(client: TakeAllSink()), progress: nil, fetcher: nil, wantsCacheEntry: true)
        reader.afterWholeRead = afterWholeRead
        return reader
    }

    private func files(_ tmp: TemporaryDirectory, sizes: [Int]) throws -> [FileReader.FileToRead] {
        try sizes.enumerated().map { index, size in
            let path = tmp.sub("f\(index)")
            try Data((0..<size).map { _ in UInt8.random(in: 0...255) }).write(to: URL(fileURLWithPath: path))
            return FileReader.FileToRead(path: LocalPath(path), info: try FileInfo.lstat(path), previous: nil)
        }
    }

    @Test func aGroupGivesWhatStreamedReadsGive() async throws {
        let tmp = try TemporaryDirectory(prefix: "wholefiles")
        defer { tmp.remove() }
        let group = try files(tmp, sizes: [0, 500, 3000, 60_000])
        let outcomes = try await reader().read(whole: group).map { try $0.get() }
        #expect(outcomes.count == group.count)
        for (file, whole) in zip(group, outcomes) {
            let streamed = try await reader().read(file.path, info: file.info)
            #expect(whole.content == streamed.content)
            #expect(whole.size == streamed.size && whole.info == streamed.info)
            #expect(whole.cacheEntry != nil && !whole.changedWhileRead)
        }
        if case .manifest = outcomes[3].content {} else { Issue.record("a 60 KB file of 16 KB chunks has a manifest") }
    }

    @Test func aFileThatFailsFailsAloneAndOneGrownPastTheLimitIsStreamed() async throws {
        let tmp = try TemporaryDirectory(prefix: "wholefiles")
        defer { tmp.remove() }
        let group = try files(tmp, sizes: [100, 100, 100])
        unlink(tmp.sub("f0"))
        try Data(repeating: 9, count: FileReader.wholeFileLimit + 5000).write(to: URL(fileURLWithPath: tmp.sub("f2")))
        let outcomes = try await reader().read(whole: group)
        guard case .failure(let error) = outcomes[0] else { Issue.record("a removed file fails"); return }
        #expect(error.description.hasPrefix("cannot open"))
        #expect(try outcomes[1].get().size == 100)
        let grown = try outcomes[2].get()
        #expect(grown.size == UInt64(FileReader.wholeFileLimit + 5000) && !grown.changedWhileRead)
    }

    @Test func aFileChangingWhileReadIsReadAgainOrReported() async throws {
        let tmp = try TemporaryDirectory(prefix: "wholefiles")
        defer { tmp.remove() }
        let group = try files(tmp, sizes: [2000])
        let path = tmp.sub("f0")
        let appendOnce = ManagedFlag()
        let once = try await reader(afterWholeRead: { attempt in
            if attempt == 0 && appendOnce.setOnce() { appendBytes(path, 500) }
        }).read(whole: group)[0].get()
        #expect(!once.changedWhileRead && once.size == 2500 && once.cacheEntry != nil)
        let always = try await reader(afterWholeRead: { _ in appendBytes(path, 500) }).read(whole: group)[0].get()
        #expect(always.changedWhileRead && always.cacheEntry == nil)
        #expect(always.size == 3000)  // what the second read saw
    }
}

/// Appends `count` bytes to the file at `path` (a file changing while it is read).
func appendBytes(_ path: String, _ count: Int) {
    let handle = FileHandle(forWritingAtPath: path)!
    handle.seekToEndOfFile()
    handle.write(Data(repeating: 0x5a, count: count))
    try? handle.close()
}
