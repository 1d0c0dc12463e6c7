import ChordRing
import PeerStoreBackup
import Testing

/// The pure parts of ls, diff and restore's selection: `-snapshot` parsing, include matching, listing text.
@Suite struct BrowsePureTests {
    func path(_ s: String) -> [FileName] { s.split(separator: "/").map { FileName(String($0)) } }

    @Test func snapshotSpecIsLatestOrAHexPrefix() throws {
        #expect(try SnapshotSpec.parse(nil) == .latest)
        #expect(try SnapshotSpec.parse("latest") == .latest)
        #expect(try SnapshotSpec.parse("1a2B") == .prefix("1a2b"))
        for bad in ["", "xyz", "12 34", "latestt", "é1", String(repeating: "a", count: 65)] {
            #expect(throws: BackupError.self, "\(bad)") { try SnapshotSpec.parse(bad) }
        }
        do {
            _ = try SnapshotSpec.parse("nope")
        } catch let error as BackupError {
            #expect(error.code == .usage && error.message.contains("neither `latest` nor") && !error.message.contains("\n"))
        }
    }

    @Test func includeMatchesPathsAndFoldersThatMayHoldThem() {
        let anyTxt = IncludeRules(patterns: ["*.txt"])
        #expect(anyTxt.matches(path("a.txt"), isDirectory: false) && anyTxt.matches(path("x/y/b.txt"), isDirectory: false))
        #expect(!anyTxt.matches(path("x/b.md"), isDirectory: false))
        #expect(anyTxt.mayMatchBelow(path("x")) && anyTxt.mayMatchBelow(path("x/y/z")))

        let anchored = IncludeRules(patterns: ["/docs/deep/*.pdf"])
        #expect(anchored.matches(path("docs/deep/a.pdf"), isDirectory: false))
        #expect(!anchored.matches(path("docs/a.pdf"), isDirectory: false))
        #expect(anchored.mayMatchBelow(path("docs")) && anchored.mayMatchBelow(path("docs/deep")))
        #expect(!anchored.mayMatchBelow(path("other")) && !anchored.mayMatchBelow(path("docs/other")))
        #expect(!anchored.mayMatchBelow(path("docs/deep/a.pdf")))  // nothing is below a whole match's last name

        let star = IncludeRules(patterns: ["src/**/*.c"])
        #expect(star.mayMatchBelow(path("src")) && star.mayMatchBelow(path("src/a/b")) && !star.mayMatchBelow(path("lib")))
        #expect(star.matches(path("src/a/b/x.c"), isDirectory: false) && star.matches(path("src/x.c"), isDirectory: false))

        let folders = IncludeRules(patterns: ["logs/"])
        #expect(folders.matches(path("a/logs"), isDirectory: true) && !folders.matches(path("a/logs"), isDirectory: false))

        let all = IncludeRules()
        #expect(all.keepsEverything && all.matches(path("any/thing"), isDirectory: false))
    }

    @Test func aSelectionRestoresMatchesWholeAndLooksIntoFoldersThatMayHoldThem() {
        let s = RestoreSelection(include: IncludeRules(patterns: ["/docs", "*.txt"]))
        #expect(s.decide(path("docs"), isDirectory: true, parentWhole: false) == .restore)
        #expect(s.decide(path("docs/x.bin"), isDirectory: false, parentWhole: true) == .restore)
        #expect(s.decide(path("src"), isDirectory: true, parentWhole: false) == .look)
        #expect(s.decide(path("src/a.txt"), isDirectory: false, parentWhole: false) == .restore)
        #expect(s.decide(path("src/a.bin"), isDirectory: false, parentWhole: false) == .skip)
        let anchored = RestoreSelection(include: IncludeRules(patterns: ["/docs/*.pdf"]))
        #expect(anchored.decide(path("src"), isDirectory: true, parentWhole: false) == .skip)
        #expect(RestoreSelection().decide(path("anything"), isDirectory: true, parentWhole: false) == .restore)
    }

    @Test func theBackedUpFolderItselfIsTheWholeSnapshot() {
        for root in ["/", ".", "", "./", "docs/..", "/home/me/src", "/home/me/src/", "/home/me/./src"] {
            #expect(SnapshotPath.isRoot(root, rootPath: "/home/me/src"), "\(root)")
        }
        // A relative name is looked up in the backed-up folder first, even one that names it from elsewhere.
        for other in ["docs", "src", "/home/me", "/home/me/src/docs", "src/docs"] {
            #expect(!SnapshotPath.isRoot(other, rootPath: "/home/me/src"), "\(other)")
        }
    }

    @Test func modesReadAsLsShowsThem() {
        #expect(EntryText.mode(.directory, 0o755) == "drwxr-xr-x")
        #expect(EntryText.mode(.file, 0o644) == "-rw-r--r--")
        #expect(EntryText.mode(.symlink, 0o777) == "lrwxrwxrwx")
        #expect(EntryText.mode(.file, 0o4755) == "-rwsr-xr-x")
        #expect(EntryText.mode(.file, 0o2644) == "-rw-r-Sr--")
        #expect(EntryText.mode(.directory, 0o1777) == "drwxrwxrwt")
        #expect(EntryText.mode(.directory, 0o1770) == "drwxrwx--T")
        #expect(EntryText.mode(.file, 0) == "----------")
    }

    @Test func timesAndLinesReadBack() {
        #expect(EntryText.rfc3339(Timestamp(seconds: 0, nanoseconds: 5)) == "1970-01-01T00:00:00.000000005Z")
        #expect(EntryText.rfc3339(Timestamp(seconds: 1_764_600_000, nanoseconds: 123_456_789)) == "2025-12-01T14:40:00.123456789Z")
        let link = TreeEntry(name: FileName(bytes: [0x6c, 0xff]), kind: .symlink, mode: 0o777, mtime: Timestamp(seconds: 0, nanoseconds: 0),
                             size: 7, content: .linkTarget("target"))
        let line = EntryText.listing(SnapshotWalk.Item(path: [FileName("dir"), link.name], entry: link))
        #expect(line.hasPrefix("lrwxrwxrwx            7 "), "\(line)")
        #expect(line.hasSuffix(" dir/l\\xff -> target"), "\(line)")
    }
}
