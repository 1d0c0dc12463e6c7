import Foundation
import PeerStoreTestKit
import Testing

/// A block damaged on the node's disk, found only when a restore reads it, costs the file it belongs to and nothing
/// else: the other files are restored, the damaged one is listed, exit 3.
@Suite(.serialized)
struct DamagedBlockRestoreTests {
    @Test func aBlockFoundCorruptOnReadCostsOnlyItsFile() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-damaged-read")
        defer { tmp.remove() }
        let src = tmp.sub("src")
        try FileManager.default.createDirectory(atPath: src + "/sub", withIntermediateDirectories: true)
        var rng = SeededRandom(seed: 11)
        for i in 0..<3 { try Data(rng.bytes(300 << 10)).write(to: URL(fileURLWithPath: src + "/file-\(i).bin")) }
        try Data(rng.bytes(700 << 10)).write(to: URL(fileURLWithPath: src + "/sub/big.bin"))
        try Data("small".utf8).write(to: URL(fileURLWithPath: src + "/sub/small.txt"))
        let client = ClientHarness(home: tmp.sub("home"))
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let backup = try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src])
        #expect(backup.status == 0, "\(backup.stderr)")
        // Damaged while the node runs: start-up verification never sees it; the restore's read does.
        try corruptLargestEntry(segment: tmp.sub("node/segments/0000000001.seg"), atLeast: 320_000)

        let out = tmp.sub("out")
        let restore = try client.run(["-operation", "restore", "-filedest", out])
        #expect(restore.status == 3, "\(restore.stdout) \(restore.stderr)")
        #expect(restore.stderr.contains("1 file could not be restored") && restore.stderr.contains("sub/big.bin"), "\(restore.stderr)")
        let diffs = TreeComparison.differences(src, out, compareRootMetadata: false)
        #expect(diffs.count == 1 && diffs.allSatisfy { $0.hasPrefix("missing in copy") && $0.contains("big.bin") }, "\(diffs)")
    }
}
