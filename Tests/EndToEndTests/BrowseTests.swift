import Foundation
import PeerStoreTestKit
import Testing

/// The command line of -snapshot ID|latest (restore, getfile, check), ls, diff and restore -include: output, exit
/// codes and one-line errors.
@Suite(.serialized)
struct BrowseTests {
    func write(_ path: String, _ text: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    func oneLine(_ r: CommandRunner.Result) -> Bool { EndToEndTests.oneLine(r.stderr) }

    /// Two backups of a small folder; returns the client and the snapshot ids (12 hex digits), older first.
    func twoBackups(_ tmp: TemporaryDirectory, _ server: ServerProcess) throws -> (ClientHarness, [String]) {
        let src = tmp.sub("src")
        try write(src + "/keep.txt", "kept\n")
        try write(src + "/change.txt", "first\n")
        try write(src + "/gone/old.md", "old\n")
        try write(src + "/gone/old2.md", "old too\n")
        try write(src + "/docs/a.txt", "alpha\n")
        try FileManager.default.createSymbolicLink(atPath: src + "/docs/link", withDestinationPath: "a.txt")
        let client = ClientHarness(home: tmp.sub("home"))
        #expect(try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src]).status == 0)
        try write(src + "/change.txt", "second version\n")
        try FileManager.default.removeItem(atPath: src + "/gone")
        try write(src + "/added/new.txt", "new\n")
        #expect(try client.run(["-operation", "backup"]).status == 0)
        let list = try client.run(["-operation", "snapshots"]).stdout.split(separator: "\n").dropFirst()
        return (client, list.map { String($0.prefix(12)) }.reversed())
    }

    @Test func snapshotPicksAnEarlierSnapshotForRestoreGetfileAndCheck() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-pick")
        defer { tmp.remove() }
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let (client, ids) = try twoBackups(tmp, server)
        #expect(ids.count == 2)

        let first = tmp.sub("first.txt")
        let got = try client.run(["-operation", "getfile", "-snapshot", String(ids[0].prefix(8)), "-filename", "change.txt", "-filedest", first])
        #expect(got.status == 0, "\(got.stderr)")
        #expect(try String(contentsOfFile: first, encoding: .utf8) == "first\n")
        let latest = tmp.sub("latest.txt")
        #expect(try client.run(["-operation", "getfile", "-snapshot", "latest", "-filename", "change.txt", "-filedest", latest]).status == 0)
        #expect(try String(contentsOfFile: latest, encoding: .utf8) == "second version\n")

        let out = tmp.sub("old")
        let restored = try client.run(["-operation", "restore", "-snapshot", ids[0].uppercased(), "-filedest", out])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(FileManager.default.fileExists(atPath: out + "/gone/old.md") && !FileManager.default.fileExists(atPath: out + "/added"))

        // One node keeps one copy of each block, fewer than the ring's 3: exit 4. The older snapshot has one more block.
        let checked = try client.run(["-operation", "check", "-snapshot", ids[0], "-json"])
        #expect(checked.status == 4, "\(checked.stderr)")
        #expect(checked.stdout.contains("\"missing\":0") && checked.stdout.contains("\"blocks\":9"), "\(checked.stdout)")
        let checkedLatest = try client.run(["-operation", "check", "-snapshot", "latest", "-json"])
        #expect(checkedLatest.status == 4 && checkedLatest.stdout.contains("\"blocks\":8"), "\(checkedLatest.stdout)")

        // Not an id, no such id, two -snapshot for one: exit 1 and one line that says what to do.
        let typo = try client.run(["-operation", "restore", "-snapshot", "lastest", "-filedest", tmp.sub("t")])
        #expect(typo.status == 1 && oneLine(typo) && typo.stderr.contains("neither `latest` nor"), "\(typo.stderr)")
        let unused = ["0", "1", "2", "3"].first { d in !ids.contains { $0.hasPrefix(d) } }!
        let none = try client.run(["-operation", "check", "-snapshot", unused])
        #expect(none.status == 1 && oneLine(none) && none.stderr.contains("has an id starting with \(unused)"), "\(none.stderr)")
        let two = try client.run(["-operation", "getfile", "-snapshot", ids[0], "-snapshot", ids[1], "-filename", "keep.txt", "-filedest", tmp.sub("k")])
        #expect(two.status == 1 && oneLine(two) && two.stderr.contains("give -snapshot once"), "\(two.stderr)")
        let missing = try client.run(["-operation", "getfile", "-snapshot", ids[0], "-filename", "added/new.txt", "-filedest", tmp.sub("n")])
        #expect(missing.status == 1 && missing.stderr.contains("not in snapshot \(ids[0])"), "\(missing.stderr)")
    }

    @Test func lsDiffAndIncludeOnTheCommandLine() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-browse")
        defer { tmp.remove() }
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let (client, ids) = try twoBackups(tmp, server)

        let ls = try client.run(["-operation", "ls"])
        #expect(ls.status == 0, "\(ls.stderr)")
        let lines = ls.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("snapshot \(ids[1])") == true, "\(ls.stdout)")
        #expect(lines.contains { $0.hasPrefix("drwx") && $0.hasSuffix(" docs") }, "\(ls.stdout)")
        #expect(lines.contains { $0.hasPrefix("-rw") && $0.contains(" 15 ") && $0.hasSuffix(" change.txt") }, "\(ls.stdout)")
        #expect(lines.contains { $0.hasPrefix("lrwx") && $0.hasSuffix(" docs/link -> a.txt") }, "\(ls.stdout)")
        #expect(lines.count == 1 + 7, "\(ls.stdout)")  // header + added, added/new.txt, change.txt, docs, docs/a.txt, docs/link, keep.txt

        let json = try client.run(["-operation", "ls", "-json", "-snapshot", ids[0], "-filename", "docs"])
        #expect(json.status == 0, "\(json.stderr)")
        let objects = try json.stdout.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        #expect(objects.map { $0["path"] as? String } == ["docs", "docs/a.txt", "docs/link"], "\(json.stdout)")
        #expect(objects[0]["type"] as? String == "dir" && objects[1]["type"] as? String == "file" && objects[1]["size"] as? Int == 6)
        #expect(objects[2]["linkTarget"] as? String == "a.txt" && (objects[1]["mtime"] as? String)?.hasSuffix("Z") == true)
        #expect(objects[1]["mode"] as? Int == 0o644 || objects[1]["permissions"] as? String == "-rw-r--r--", "\(objects[1])")
        let notThere = try client.run(["-operation", "ls", "-filename", "gone"])
        #expect(notThere.status == 1 && oneLine(notThere) && notThere.stderr.contains("gone is not in the latest snapshot"), "\(notThere.stderr)")

        let diff = try client.run(["-operation", "diff", "-snapshot", ids[0], "-snapshot", "latest"])
        #expect(diff.status == 0, "\(diff.stderr)")
        let changes = diff.stdout.split(separator: "\n").filter { ["+", "-", "M"].contains($0.first.map(String.init)) }
        #expect(changes == ["+    added/", "+    added/new.txt", "M    change.txt", "-    gone/", "-    gone/old.md", "-    gone/old2.md"], "\(diff.stdout)")
        #expect(diff.stdout.contains("files: 1 added, 2 removed, 1 changed; folders: 1 added, 1 removed, 0 changed"), "\(diff.stdout)")
        let diffJSON = try client.run(["-operation", "diff", "-json", "-snapshot", ids[0], "-snapshot", ids[1]])
        #expect(diffJSON.status == 0, "\(diffJSON.stderr)")
        let diffObjects = try diffJSON.stdout.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        #expect(diffObjects.count == 7 && diffObjects[2]["change"] as? String == "M" && diffObjects[2]["path"] as? String == "change.txt")
        let summary = diffObjects.last!
        #expect(summary["type"] as? String == "summary" && (summary["added"] as? [String: Int])?["files"] == 1, "\(summary)")
        #expect((summary["removed"] as? [String: Int])?["files"] == 2 && summary["bytesRemoved"] as? Int == 12, "\(summary)")
        let oneSnapshot = try client.run(["-operation", "diff", "-snapshot", ids[0]])
        #expect(oneSnapshot.status == 1 && oneLine(oneSnapshot) && oneSnapshot.stderr.contains("-snapshot A -snapshot B"), "\(oneSnapshot.stderr)")

        let txt = tmp.sub("txt")
        let include = try client.run(["-operation", "restore", "-include", "*.txt", "-include", "/docs/link", "-filedest", txt])
        #expect(include.status == 0, "\(include.stderr)")
        #expect(Set(FileManager.default.subpaths(atPath: txt) ?? []) == ["added", "added/new.txt", "change.txt", "docs", "docs/a.txt", "docs/link", "keep.txt"])
        let nothing = try client.run(["-operation", "restore", "-include", "*.pdf", "-filedest", tmp.sub("pdf")])
        #expect(nothing.status == 1 && oneLine(nothing) && nothing.stderr.contains("no path of the snapshot matches -include *.pdf"), "\(nothing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp.sub("pdf")))

        let help = try client.run(["-help"]).stdout
        for word in ["  ls ", "  diff ", "-include", "latest"] { #expect(help.contains(word), "the help does not mention \(word)") }
    }
}
