import ChordRing
import Foundation
import PeerStoreBackup
import PeerStoreTestKit
import Testing

/// ls, restore of a sub-folder and with -include, diff and `-snapshot` prefixes, in-process against an in-memory ring.
@Suite(.timeLimit(.minutes(1)))
struct BrowseInMemoryTests {
    func write(_ text: String, _ path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// src: top.txt, docs/{a.txt, b.md, deep/c.txt, link -> a.txt, hard (a hard link to top.txt)}, other/d.md, empty/.
    func corpus(_ c: InMemoryClient) throws {
        try write("top", c.src + "/top.txt")
        try write("alpha", c.src + "/docs/a.txt")
        try write("bravo", c.src + "/docs/b.md")
        try write("charlie", c.src + "/docs/deep/c.txt")
        try write("delta", c.src + "/other/d.md")
        try FileManager.default.createDirectory(atPath: c.src + "/empty", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: c.src + "/docs/link", withDestinationPath: "a.txt")
        #expect(link(c.src + "/top.txt", c.src + "/docs/hard") == 0)
    }

    func files(_ root: String) -> [String] { (FileManager.default.subpaths(atPath: root) ?? []).sorted() }

    @Test func lsWalksEverythingOrWhatIsUnderAPath() async throws {
        let c = try InMemoryClient(prefix: "mem-ls")
        defer { c.tmp.remove() }
        try corpus(c)
        _ = try await c.backup()
        let snapshot = try await c.catalog().latest(device: c.device).snapshot
        let walk = SnapshotWalk(catalog: c.catalog())
        var all: [String] = []
        try await walk.walk(snapshot, under: nil) { all.append(EntryText.path($0.path)) }
        #expect(all == ["docs", "docs/a.txt", "docs/b.md", "docs/deep", "docs/deep/c.txt", "docs/hard", "docs/link", "empty",
                        "other", "other/d.md", "top.txt"], "\(all)")
        var under: [SnapshotWalk.Item] = []
        try await walk.walk(snapshot, under: c.src + "/docs/deep") { under.append($0) }
        #expect(under.map { EntryText.path($0.path) } == ["docs/deep", "docs/deep/c.txt"])
        #expect(under[1].entry.size == 7 && EntryText.listing(under[1]).hasPrefix("-rw"))
        var one: [String] = []
        try await walk.walk(snapshot, under: "docs/link") { one.append(EntryText.listing($0)) }
        #expect(one.count == 1 && one[0].hasSuffix("docs/link -> a.txt"), "\(one)")
        await #expect(throws: BackupError.self) {
            try await walk.walk(snapshot, under: "docs/nothere") { _ in }
        }
    }

    @Test func restoreOfAFolderWritesOnlyThatFolder() async throws {
        let c = try InMemoryClient(prefix: "mem-subfolder")
        defer { c.tmp.remove() }
        try corpus(c)
        _ = try await c.backup()
        let snapshot = try await c.catalog().latest(device: c.device).snapshot
        let out = c.tmp.sub("out")
        let summary = try await c.restorer().restore("docs", from: snapshot, include: IncludeRules(), to: out, force: false)
        #expect(summary.failed.isEmpty, "\(summary.failed)")
        #expect(files(out) == ["a.txt", "b.md", "deep", "deep/c.txt", "hard", "link"], "\(files(out))")
        // The hard link's first name (top.txt) is outside the folder: it comes back as a file with the content.
        #expect(try String(contentsOfFile: out + "/hard", encoding: .utf8) == "top")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: out + "/link") == "a.txt")
        #expect(summary.files == 4 && summary.directories == 1 && summary.symlinks == 1)
        // The folder's own mode and mtime are the backed-up folder's.
        let (a, b) = (try FileInfo.lstat(LocalPath(c.src + "/docs/deep")), try FileInfo.lstat(LocalPath(out + "/deep")))
        #expect(a.mode == b.mode && a.mtime == b.mtime)

        // A file: as getfile. The backed-up folder itself: everything. Not there: nothing written.
        let one = try await c.restorer().restore("docs/deep/c.txt", from: snapshot, include: IncludeRules(), to: c.tmp.sub("c.out"), force: false)
        #expect(one.files == 1)
        #expect(try String(contentsOfFile: c.tmp.sub("c.out"), encoding: .utf8) == "charlie")
        _ = try await c.restorer().restore(c.src, from: snapshot, include: IncludeRules(), to: c.tmp.sub("whole"), force: false)
        #expect(TreeComparison.differences(c.src, c.tmp.sub("whole"), compareRootMetadata: false) == [])
        await #expect(throws: BackupError(.notInSnapshot, "docs/none is not in the latest snapshot of \(snapshot.rootPath): see -operation ls")) {
            try await c.restorer().restore("docs/none", from: snapshot, include: IncludeRules(), to: c.tmp.sub("none"), force: false)
        }
        #expect(!FileManager.default.fileExists(atPath: c.tmp.sub("none")))
    }

    @Test func includeRestoresMatchesAndTheFoldersLeadingToThem() async throws {
        let c = try InMemoryClient(prefix: "mem-include")
        defer { c.tmp.remove() }
        try corpus(c)
        _ = try await c.backup()
        let snapshot = try await c.catalog().latest(device: c.device).snapshot
        let restorer = c.restorer()
        let txt = c.tmp.sub("txt")
        let s = try await restorer.restore(nil, from: snapshot, include: IncludeRules(patterns: ["*.txt"]), to: txt, force: false)
        #expect(files(txt) == ["docs", "docs/a.txt", "docs/deep", "docs/deep/c.txt", "top.txt"], "\(files(txt))")
        #expect(s.files == 3 && s.directories == 2)
        let (a, b) = (try FileInfo.lstat(LocalPath(c.src + "/docs")), try FileInfo.lstat(LocalPath(txt + "/docs")))
        #expect(a.mode == b.mode && a.mtime == b.mtime, "a folder made for a match still gets its mode and mtime")

        // A folder that matches comes whole; within a sub-folder restore the patterns still start at the backed-up folder.
        let whole = c.tmp.sub("whole")
        _ = try await restorer.restore(nil, from: snapshot, include: IncludeRules(patterns: ["/docs/deep", "other/*.md"]), to: whole, force: false)
        #expect(files(whole) == ["docs", "docs/deep", "docs/deep/c.txt", "other", "other/d.md"], "\(files(whole))")
        let inFolder = c.tmp.sub("infolder")
        _ = try await restorer.restore("docs", from: snapshot, include: IncludeRules(patterns: ["/docs/*.md", "hard"]), to: inFolder, force: false)
        #expect(files(inFolder) == ["b.md", "hard"], "\(files(inFolder))")
        #expect(try String(contentsOfFile: inFolder + "/hard", encoding: .utf8) == "top")
        // -include picks paths in a folder: with a file it is refused, not ignored.
        await #expect(throws: BackupError.self) {
            try await restorer.restore("top.txt", from: snapshot, include: IncludeRules(patterns: ["*.md"]), to: c.tmp.sub("f"), force: false)
        }
        #expect(!FileManager.default.fileExists(atPath: c.tmp.sub("f")))

        // Nothing matches: an error, and nothing is left behind.
        let none = c.tmp.sub("none")
        await #expect(throws: BackupError.self) {
            try await restorer.restore(nil, from: snapshot, include: IncludeRules(patterns: ["*.pdf"]), to: none, force: false)
        }
        #expect(!FileManager.default.fileExists(atPath: none))
        #expect(try FileManager.default.contentsOfDirectory(atPath: c.tmp.path).allSatisfy { !$0.contains("peerstore-restore") })
    }

    @Test func diffListsChangesAndNeverReadsAnUnchangedFolder() async throws {
        let c = try InMemoryClient(prefix: "mem-diff")
        defer { c.tmp.remove() }
        try corpus(c)
        _ = try await c.backup()
        try write("changed", c.src + "/docs/a.txt")
        try FileManager.default.removeItem(atPath: c.src + "/other")
        try write("new", c.src + "/new/n.txt")
        _ = try await c.backup()
        let history = try await c.catalog().history(device: c.device)
        let (new, old) = (history[0].snapshot, history[1].snapshot)
        // docs/deep did not change: its tree is the same in both, and hiding it must not matter.
        let deep = try await c.catalog().entry(at: [FileName("docs"), FileName("deep")], from: old.rootTree)
        guard case .subtree(let deepTree) = deep?.content else { throw TestKitError("docs/deep is not a folder") }
        await c.ring.hide(deepTree)
        var lines: [String] = []
        let summary = try await SnapshotDiff(catalog: c.catalog()).compare(old: old.rootTree, new: new.rootTree) {
            lines.append("\($0.change.rawValue) \(EntryText.path($0.path))")
        }
        #expect(lines == ["M docs/a.txt", "+ new", "+ new/n.txt", "- other", "- other/d.md"], "\(lines)")
        #expect(summary.count(.added, .file) == 1 && summary.count(.removed, .directory) == 1 && summary.bytesRemoved == 5)
    }

    @Test func aSnapshotIsChosenByAUniquePrefixOrLatest() async throws {
        let c = try InMemoryClient(prefix: "mem-prefix")
        defer { c.tmp.remove() }
        // 17 snapshots: two of them share a first hex digit.
        for i in 0..<17 {
            try write("version \(i)", c.src + "/f.txt")
            _ = try await c.backup()
        }
        let catalog = c.catalog()
        let history = try await catalog.history(device: c.device)
        #expect(try await catalog.chosen(device: c.device, spec: "latest").id == history[0].id)
        #expect(try await catalog.chosen(device: c.device, spec: nil).id == history[0].id)
        let oldest = history.last!.id
        #expect(try await catalog.chosen(device: c.device, spec: oldest.hex.uppercased()).id == oldest)
        #expect(try await catalog.chosen(device: c.device, spec: oldest.shortHex(8)).snapshot == history.last!.snapshot)
        let byDigit = Dictionary(grouping: history.map(\.id.hex), by: { $0.prefix(1) })
        let shared = byDigit.first { $0.value.count > 1 }!.key
        await #expect(throws: BackupError.self) { try await catalog.chosen(device: c.device, spec: String(shared)) }
        do {
            _ = try await catalog.chosen(device: c.device, spec: String(shared))
        } catch let error as BackupError {
            #expect(error.message.contains("have ids starting with \(shared): give more of the id"), "\(error.message)")
        }
        let unused = "0123456789abcdef".map(String.init).flatMap { a in "0123456789abcdef".map { a + String($0) } }
            .first { p in !history.contains { $0.id.hex.hasPrefix(p) } }!
        do {
            _ = try await catalog.chosen(device: c.device, spec: unused)
            Issue.record("a prefix no id has was taken")
        } catch let error as BackupError {
            #expect(error.code == .noSnapshot && error.message.contains("has an id starting with \(unused)"), "\(error.message)")
        }
    }
}
