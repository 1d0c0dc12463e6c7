import Foundation
import PeerStoreTestKit
import Testing

/// With -json, backup and restore print JSON lines only: progress objects, then one summary.
@Suite(.serialized)
struct JSONOutputTests {
    func objects(_ stdout: String) throws -> [[String: Any]] {
        try stdout.split(separator: "\n").map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw TestKitError("not a JSON object: \(line)")
            }
            return object
        }
    }

    @Test func backupAndRestorePrintJSONLines() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-json")
        defer { tmp.remove() }
        let src = tmp.sub("src")
        try TreeGenerator(settings: smallCorpus(seed: 41)).generate(into: src)
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let client = ClientHarness(home: tmp.sub("home"))

        let backup = try client.run(["-operation", "backup", "-json", "-peerAddr", server.address, "-localPath", src])
        #expect(backup.status == 0, "\(backup.stderr)")
        let lines = try objects(backup.stdout)
        let summary = try #require(lines.last)
        #expect(summary["type"] as? String == "summary")
        #expect(lines.dropLast().allSatisfy { $0["type"] as? String == "progress" })
        let files = try #require(summary["files"] as? Int)
        let generated = (FileManager.default.subpaths(atPath: src) ?? []).filter { path in
            var st = stat()
            return lstat(src + "/" + path, &st) == 0 && st.st_mode & S_IFMT == S_IFREG
        }
        #expect(files == generated.count)
        #expect((summary["blocksSent"] as? Int ?? 0) > 100)

        let restore = try client.run(["-operation", "restore", "-json", "-filedest", tmp.sub("out")])
        #expect(restore.status == 0, "\(restore.stderr)")
        let restored = try #require(try objects(restore.stdout).last)
        #expect(restored["type"] as? String == "summary" && restored["files"] as? Int == files, "\(restored)")
        #expect((restored["destination"] as? String)?.hasSuffix("/out") == true)
    }
}
