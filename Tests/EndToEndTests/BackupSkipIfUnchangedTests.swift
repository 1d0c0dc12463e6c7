import Foundation
import PeerStoreTestKit
import Testing

/// `backup -skipIfUnchanged` through the real client and a real node: a backup of a folder that did not change says
/// so, names the latest snapshot and stores none; a changed folder still gets one.
@Suite(.serialized)
struct BackupSkipIfUnchangedTests {
    @Test func anUnchangedFolderStoresNoSnapshot() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-skip-unchanged")
        defer { tmp.remove() }
        let src = tmp.sub("src")
        try FileManager.default.createDirectory(atPath: src, withIntermediateDirectories: true)
        try Data("one\n".utf8).write(to: URL(fileURLWithPath: src + "/a.txt"))
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let client = ClientHarness(home: tmp.sub("home"))
        func snapshotIDs() throws -> [String] {
            let r = try client.run(["-operation", "snapshots"])
            #expect(r.status == 0, "\(r.stderr)")
            return r.stdout.split(separator: "\n").dropFirst().map { String($0.prefix(12)) }
        }
        let first = try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src, "-skipIfUnchanged"])
        #expect(first.status == 0 && first.stdout.contains("stored as snapshot"), "\(first.stdout) \(first.stderr)")
        let ids = try snapshotIDs()
        #expect(ids.count == 1)

        let again = try client.run(["-operation", "backup", "-skipIfUnchanged"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("unchanged since snapshot \(ids[0]): no new snapshot stored (-skipIfUnchanged)"), "\(again.stdout)")
        let json = try client.run(["-operation", "backup", "-skipIfUnchanged", "-json"])
        let summary = try #require(json.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.first { $0["type"] as? String == "summary" }, "\(json.stdout)")
        #expect(summary["unchanged"] as? Bool == true && (summary["snapshot"] as? String)?.hasPrefix(ids[0]) == true)
        #expect(try snapshotIDs() == ids, "no snapshot was stored")

        try Data("two\n".utf8).write(to: URL(fileURLWithPath: src + "/b.txt"))
        let changed = try client.run(["-operation", "backup", "-skipIfUnchanged", "-json"])
        #expect(changed.status == 0 && changed.stdout.contains("\"unchanged\":false"), "\(changed.stdout) \(changed.stderr)")
        #expect(try snapshotIDs().count == 2)
        let plain = try client.run(["-operation", "backup"])
        #expect(plain.status == 0 && plain.stdout.contains("stored as snapshot"), "without the flag a snapshot is stored")
        #expect(try snapshotIDs().count == 3)

        let help = try client.run(["-help"])
        #expect(help.stdout.contains("-skipIfUnchanged"), "\(help.stdout)")
    }
}
