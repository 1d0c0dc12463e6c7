import Foundation
import PeerStoreTestKit
import Testing

/// `peerstore-server -operation scrub` on a stopped node's data path: its output and exit codes, and that it refuses
/// the data path of a node that runs.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct ScrubCommandTests {
    func scrub(_ dataPath: String, _ extra: [String] = []) throws -> CommandRunner.Result {
        try CommandRunner.run("peerstore-server", ["-operation", "scrub", "-dataPath", dataPath] + extra, timeout: 60)
    }

    @Test func anOfflinePassReportsDamageDropsItAndRefusesALiveNode() async throws {
        let tmp = try TemporaryDirectory(prefix: "scrub-command")
        defer { tmp.remove() }
        let ring = try LocalRing(nodes: 1, in: tmp, arguments: ["-segmentMiB", "1"])
        defer { ring.stopAll() }
        let src = try ring.corpus(mib: 3, seed: 53, smallFiles: 10)
        let backup = try ring.client(["-operation", "backup", "-peerAddr", ring.first.address, "-localPath", src])
        #expect(backup.status == 0, "\(backup.stderr)")
        let data = ring.first.dataPath

        let refused = try scrub(data)
        #expect(refused.status == 1, "\(refused.stdout) \(refused.stderr)")
        #expect(refused.stderr.contains("in use") && refused.stderr.contains("stop that node first"), "\(refused.stderr)")

        #expect(ring.first.stop() == 0)
        let clean = try scrub(data)
        #expect(clean.status == 0, "\(clean.stdout) \(clean.stderr)")
        let entries = try #require(clean.stdout.split(separator: "\n").first { $0.hasPrefix("entries") })
        #expect(!entries.hasPrefix("entries  0 "), "\(clean.stdout)")
        #expect(clean.stdout.contains("damaged  0 ") && clean.stdout.contains("dropped  0") && clean.stdout.contains("seconds"))

        // Damage in a sealed segment (start-up does not check those): found, dropped, exit 3; then gone.
        let files = Set(blockEntries(data).map(\.segment)).sorted()
        #expect(files.count >= 2)
        let victim = try #require(blockEntries(data).filter { $0.segment != files.last }.max { $0.length < $1.length })
        try flipByte(victim.segment, at: victim.offset + victim.length / 3)
        let damaged = try scrub(data)
        #expect(damaged.status == 3, "\(damaged.stdout) \(damaged.stderr)")
        #expect(damaged.stdout.contains("damaged  1 (blocks 1, records 0, skipped at open 0)"), "\(damaged.stdout)")
        #expect(damaged.stdout.contains("dropped  1"), "\(damaged.stdout)")
        #expect(!damaged.stdout.contains(victim.id.description) && !damaged.stderr.contains(victim.id.description))
        let after = try scrub(data)
        #expect(after.status == 0, "\(after.stdout) \(after.stderr)")
    }

    @Test func badFlagsAndPathsAreErrors() throws {
        let tmp = try TemporaryDirectory(prefix: "scrub-flags")
        defer { tmp.remove() }
        let missing = try scrub(tmp.sub("nothing-here"))
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("holds no node data"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp.sub("nothing-here")))
        let rate = try scrub(tmp.sub("nothing-here"), ["-scrubRate=-1"])
        #expect(rate.status == 1 && rate.stderr.contains("-scrubRate"), "\(rate.stderr)")
        let interval = try CommandRunner.run("peerstore-server", ["-addr", "127.0.0.1:0", "-dataPath", tmp.sub("n"), "-scrubInterval=-5"], timeout: 30)
        #expect(interval.status == 1 && interval.stderr.contains("-scrubInterval"), "\(interval.stderr)")
    }
}
