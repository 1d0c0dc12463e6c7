import Foundation
import Logging
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// A file that changes after the scan, or while its new version is being fetched, is left alone (and reported).
@Suite(.timeLimit(.minutes(1)))
struct SyncApplierTests {
    func setUp() async throws -> (SyncDevices, FileRecord, [SyncPath: FileMeta]) {
        let s = try SyncDevices(prefix: "sync-apply")
        try s.write("a", "log.txt", String(repeating: "new version from a\n", count: 2000))
        try await s.sync("a")
        let published = try #require(try await SyncHeadStore(client: s.ring, identity: s.identity, heads: nil, folder: s.folder)
            .read(s["a"].id, name: "a"))
        let record = try #require(published.state[SyncPath("log.txt")])
        try s.write("b", "log.txt", "old\n")
        let info = try FileInfo.lstat(s["b"].dir + "/log.txt")
        let scan = [SyncPath("log.txt"): FileMeta(kind: .file, content: .none, size: info.size, mode: info.mode, mtime: info.mtime)]
        return (s, record, scan)
    }

    func applier(_ s: SyncDevices, _ scan: [SyncPath: FileMeta]) -> SyncApplier {
        SyncApplier(root: LocalPath(s["b"].dir), scan: scan,
                    restorer: Restorer(client: s.ring, identity: s.identity, logger: Logger(label: "test")))
    }

    func append(_ path: String, _ text: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    @Test func aFileChangedSinceTheScanIsNotReplaced() async throws {
        let (s, record, scan) = try await setUp()
        defer { s.tmp.remove() }
        try append(s["b"].dir + "/log.txt", "appended after the scan\n")
        var applier = applier(s, scan)
        let result = await applier.apply(SyncPlan(actions: [.download(SyncPath("log.txt"), record)]))
        #expect(result.failed == [SyncPath("log.txt")])
        #expect(result.problems.count == 1 && result.downloaded == 0)
        #expect(s.read("b", "log.txt") == "old\nappended after the scan\n")
    }

    @Test func aFileAppendedToWhileItsNewVersionIsFetchedIsNotReplaced() async throws {
        let (s, record, scan) = try await setUp()
        defer { s.tmp.remove() }
        await s.ring.slowDown(by: .milliseconds(300))
        var applier = applier(s, scan)
        let apply = Task { await applier.apply(SyncPlan(actions: [.download(SyncPath("log.txt"), record)])) }
        try await Task.sleep(for: .milliseconds(100))
        try append(s["b"].dir + "/log.txt", "appended during the fetch\n")
        let result = await apply.value
        #expect(result.failed == [SyncPath("log.txt")])
        #expect(s.read("b", "log.txt") == "old\nappended during the fetch\n")
        #expect(!s.listing("b").contains { $0.contains(".peerstore-") }, "no temp file is left behind")

        // Unchanged since the scan: replaced.
        await s.ring.slowDown(by: .zero)
        let now = try FileInfo.lstat(s["b"].dir + "/log.txt")
        var fresh = self.applier(s, [SyncPath("log.txt"): FileMeta(kind: .file, content: .none, size: now.size, mode: now.mode, mtime: now.mtime)])
        let second = await fresh.apply(SyncPlan(actions: [.download(SyncPath("log.txt"), record)]))
        #expect(second.failed.isEmpty && second.downloaded == 1)
        #expect(s.read("b", "log.txt") == String(repeating: "new version from a\n", count: 2000))
    }

    @Test func aPathThatCannotBeWrittenIsReportedAndTheRestGoesOn() async throws {
        let (s, record, scan) = try await setUp()
        defer { s.tmp.remove() }
        try s.write("b", "blocker", "a file where the other device has a folder")
        var seen = scan
        let info = try FileInfo.lstat(s["b"].dir + "/blocker")
        seen[SyncPath("blocker")] = FileMeta(kind: .file, content: .none, size: info.size, mode: info.mode, mtime: info.mtime)
        var applier = applier(s, seen)
        let result = await applier.apply(SyncPlan(actions: [
            .download(SyncPath("blocker/inside.txt"), record), .download(SyncPath("fine.txt"), record),
        ]))
        #expect(result.failed == [SyncPath("blocker/inside.txt")])
        #expect(result.problems.count == 1 && result.problems[0].hasPrefix("blocker/inside.txt: "), "\(result.problems)")
        #expect(result.downloaded == 1)
        #expect(s.read("b", "fine.txt") == String(repeating: "new version from a\n", count: 2000))
    }
}
