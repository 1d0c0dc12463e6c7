import Foundation
import PeerStoreTestKit
import Testing

/// `forget` through the real client and a real node: a dry run prints and changes nothing, a real one drops what the
/// policy does not keep, the policy is remembered for the next forget and marked in `snapshots`, and misuse is a
/// one-line error with the right exit status.
@Suite(.serialized)
struct ForgetTests {
    /// The snapshot ids `snapshots` lists (short, newest first), and its output.
    func snapshots(_ client: ClientHarness) throws -> (ids: [String], output: String) {
        let r = try client.run(["-operation", "snapshots"])
        #expect(r.status == 0, "\(r.stderr)")
        let ids = r.stdout.split(separator: "\n").compactMap { line -> String? in
            let first = String(line.prefix { $0 != " " })
            return first.count == 12 && first.allSatisfy(\.isHexDigit) ? first : nil
        }
        return (ids, r.stdout)
    }

    @Test func dryRunThenForgetThenTheRememberedPolicy() throws {
        let tmp = try TemporaryDirectory(prefix: "e2e-forget")
        defer { tmp.remove() }
        let src = tmp.sub("src")
        try FileManager.default.createDirectory(atPath: src, withIntermediateDirectories: true)
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let client = ClientHarness(home: tmp.sub("home"))
        func backup(_ n: Int) throws {
            try Data("version \(n)\n".utf8).write(to: URL(fileURLWithPath: src + "/\(n).txt"))
            let r = try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src, "-quiet"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        for n in 0..<4 { try backup(n) }
        let four = try snapshots(client).ids
        #expect(four.count == 4)

        // A dry run prints the plan, with the rule that keeps each, and changes and remembers nothing.
        let dry = try client.run(["-operation", "forget", "-keep-last", "2", "-dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("keep 2 snapshots:") && dry.stdout.contains("remove 2 snapshots:"), "\(dry.stdout)")
        #expect(dry.stdout.contains("last snapshot") && dry.stdout.contains("dry run: nothing was changed"), "\(dry.stdout)")
        for id in four.suffix(2) { #expect(dry.stdout.contains(id)) }
        #expect(try snapshots(client).ids == four)
        let unlimited = try client.run(["-operation", "forget", "-keep-daily", "unlimited", "-dry-run"])
        #expect(unlimited.status == 0 && unlimited.stdout.contains("keep all daily snapshots"), "\(unlimited.stdout) \(unlimited.stderr)")
        let none = try client.run(["-operation", "forget"])
        #expect(none.status == 1 && none.stderr.contains("no -keep-* flag given"), "\(none.stderr)")
        #expect(none.stderr.split(separator: "\n").count == 1)

        // The real one, as JSON.
        let real = try client.run(["-operation", "forget", "-keep-last", "2", "-json"])
        #expect(real.status == 0, "\(real.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(real.stdout.utf8)) as? [String: Any], "\(real.stdout)")
        let keep = try #require(json["keep"] as? [[String: Any]]), remove = try #require(json["remove"] as? [[String: Any]])
        #expect(json["written"] as? Bool == true && json["dryRun"] as? Bool == false)
        #expect(keep.compactMap { ($0["id"] as? String)?.prefix(12) }.map(String.init) == Array(four.prefix(2)))
        #expect(keep.allSatisfy { $0["reasons"] as? [String] == ["last snapshot"] })
        #expect(remove.compactMap { ($0["id"] as? String)?.prefix(12) }.map(String.init) == Array(four.suffix(2)))
        #expect(try snapshots(client).ids == Array(four.prefix(2)))

        // Two more backups: `snapshots` marks what the remembered policy would drop; forget without flags uses it.
        for n in 4..<6 { try backup(n) }
        let (six, listing) = try snapshots(client)
        let marked = listing.split(separator: "\n").filter { $0.hasSuffix("  [forget]") }.map { String($0.prefix(12)) }
        #expect(six.count == 4 && marked == Array(six.suffix(2)), "\(listing)")
        #expect(listing.contains("2 snapshots marked [forget]") && listing.contains("keep 2 last snapshots"), "\(listing)")
        let again = try client.run(["-operation", "forget"])
        #expect(again.status == 0 && again.stdout.contains("forgot 2 snapshots"), "\(again.stdout) \(again.stderr)")
        #expect(try snapshots(client).ids == Array(six.prefix(2)))
        let out = tmp.sub("out")
        let restore = try client.run(["-operation", "restore", "-filedest", out])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(TreeComparison.differences(src, out).isEmpty)

        // Misuse: one line each, exit 1; a mistyped flag or count is a usage error (64).
        for (args, says) in [(["-operation", "backup", "-keep-last", "2"], "belong to -operation forget"),
                             (["-operation", "snapshots", "-dry-run"], "belong to -operation forget"),
                             (["-operation", "forget", "-keep-last", "0"], "no snapshots would be kept"),
                             (["-operation", "forget", "-keep-last", "1", "-device", "nobody"], "no backup of device 'nobody'")] {
            let r = try client.run(args)
            let lines = r.stderr.split(separator: "\n").filter { !$0.contains("warning: no -networkKeyFile") }
            #expect(r.status == 1 && r.stderr.contains(says) && lines.count == 1, "\(args): \(r.stderr)")
        }
        for args in [["-operation", "forget", "-keep-dayly", "3"], ["-operation", "forget", "-keep-daily", "x"]] {
            #expect(try client.run(args).status == 64, "\(args)")
        }
        #expect(try snapshots(client).ids == Array(six.prefix(2)), "the refused runs changed nothing")
    }
}
