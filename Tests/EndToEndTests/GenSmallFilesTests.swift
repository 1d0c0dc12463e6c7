import Foundation
import PeerStoreTestKit
import Testing

/// `peerstore-gen -smallFiles N` (the benchmark's many-small-files tree): N files of 200-4,000 bytes in N/100
/// folders, the same tree for the same seed.
@Suite(.serialized)
struct GenSmallFilesTests {
    func generate(_ tmp: TemporaryDirectory, _ name: String, files: Int, seed: Int) throws -> String {
        let out = tmp.sub(name)
        let r = try CommandRunner.run("peerstore-gen", ["-out", out, "-smallFiles", "\(files)", "-seed", "\(seed)"], timeout: 120)
        guard r.status == 0 else { throw TestKitError("peerstore-gen failed: \(r.stderr)") }
        return out
    }

    @Test func countsSizesAndFolders() throws {
        let tmp = try TemporaryDirectory(prefix: "gen-small")
        defer { tmp.remove() }
        let out = try generate(tmp, "a", files: 1_000, seed: 3)
        let files = TreeComparison.regularFiles(out)
        #expect(files.count == 1_000)
        let folders = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(folders.count == 10)
        for folder in folders {
            #expect(try FileManager.default.contentsOfDirectory(atPath: out + "/" + folder).count == 100)
        }
        let sizes = try files.map { try FileManager.default.attributesOfItem(atPath: out + "/" + $0)[.size] as? Int ?? -1 }
        #expect(sizes.allSatisfy { (200...4_000).contains($0) })
        // Spread over the range, not bunched at one end.
        #expect(sizes.min()! < 400 && sizes.max()! > 3_800)
        let text = files.filter { $0.hasSuffix(".txt") }.count
        #expect(text > 400 && text < 600, "about half text: \(text)")
    }

    @Test func sameSeedSameTreeOtherSeedOtherTree() throws {
        let tmp = try TemporaryDirectory(prefix: "gen-small-seed")
        defer { tmp.remove() }
        let a = try generate(tmp, "a", files: 250, seed: 5)
        let b = try generate(tmp, "b", files: 250, seed: 5)
        let c = try generate(tmp, "c", files: 250, seed: 6)
        #expect(TreeComparison.differences(a, b).isEmpty, "\(TreeComparison.differences(a, b).prefix(3))")
        #expect(!TreeComparison.differences(a, c).isEmpty)
        // 250 files: two full folders and one of 50.
        #expect(try FileManager.default.contentsOfDirectory(atPath: a).count == 3)
    }

    @Test func refusesANegativeCount() throws {
        let tmp = try TemporaryDirectory(prefix: "gen-small-bad")
        defer { tmp.remove() }
        let r = try CommandRunner.run("peerstore-gen", ["-out", tmp.sub("x"), "-smallFiles=-5"], timeout: 60)
        #expect(r.status != 0)
        #expect(r.stderr.contains("-smallFiles must be 0"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp.sub("x")))
    }
}
