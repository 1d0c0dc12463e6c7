import Foundation
import PeerStoreTestKit
import Testing

/// With `-allowUsers` on every node, nodes still trust each other (they reach each other before they count as nodes):
/// puts are forwarded to their owners and copied to replicas; users off the list still cannot store.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct AllowListRingTests {
    @Test func aRingWithAnAllowListStoresEveryBlockOnThreeNodes() async throws {
        let tmp = try TemporaryDirectory(prefix: "allow-ring")
        defer { tmp.remove() }
        let home = ["-home", tmp.sub("home")]
        _ = try CommandRunner.run("peerstore-client", home + ["-operation", "init"])
        let user = try CommandRunner.run("peerstore-client", home + ["-operation", "whoami"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try Data("\(user)\n".utf8).write(to: URL(fileURLWithPath: tmp.sub("allow")))
        let ring = try LocalRing(nodes: 4, in: tmp, arguments: ["-stabilizeInterval", "0.2", "-allowUsers", tmp.sub("allow")])
        defer { ring.stopAll() }
        try await ring.converge()
        let src = try ring.corpus(mib: 12, seed: 9, smallFiles: 300)
        let backup = try ring.client(["-operation", "backup", "-peerAddr", ring.servers[1].address, "-localPath", src])
        #expect(backup.status == 0, "\(backup.stderr)")

        let stranger = try CommandRunner.run("peerstore-client", ["-home", tmp.sub("stranger"), "-operation", "backup",
                                                                  "-peerAddr", ring.servers[2].address, "-localPath", src])
        #expect(stranger.status != 0)
        #expect(stranger.stderr.contains("-allowUsers"), "\(stranger.stderr)")

        for s in ring.servers { s.kill() }
        let held = (0..<4).map { Set(storedEntryKeys(tmp.sub("n\($0)"), kind: 1)) }
        let all = held.reduce(Set<[UInt8]>()) { $0.union($1) }
        #expect(all.count > 20)
        let counts = all.map { id in held.filter { $0.contains(id) }.count }
        #expect(counts.allSatisfy { $0 == 3 }, "copies per block: \(Dictionary(grouping: counts, by: { $0 }).mapValues(\.count))")
    }
}
