import ChordRing
import Foundation
import PeerStoreNode
import PeerStoreTestKit
import PeerStoreWire
import Testing

/// Real `peerstore-server` processes on 127.0.0.1 forming a ring over the secure channel.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct LiveRingTests {
    /// Polls the ring from `address` until it is exactly `ids` in order (bounded); returns the last walk.
    func waitForRing(from address: String, ids: Set<Identifier>, within seconds: Double = 40) async throws -> [NodeStatus] {
        let deadline = Date().addingTimeInterval(seconds)
        var last: [NodeStatus] = []
        while Date() < deadline {
            if let (statuses, complete) = try? await RingSurvey.walk(from: try PeerAddress(parsing: address), networkKey: .openDemo) {
                last = statuses
                let sorted = ids.sorted()
                let walked = statuses.map(\.node.id)
                let start = sorted.firstIndex(of: walked.first ?? .zero) ?? 0
                let expected = (0..<sorted.count).map { sorted[(start + $0) % sorted.count] }
                if complete && walked == expected
                    && statuses.allSatisfy({ s in s.predecessor.map { ids.contains($0.id) } ?? false }) { return statuses }
            }
            try await Task.sleep(for: .milliseconds(300))
        }
        throw TestKitError("the ring did not converge: \(last.map { "\($0.node.address) -> \($0.successors.first?.address ?? "-")" })")
    }

    func nodeID(_ server: ServerProcess) throws -> Identifier {
        let line = try #require(server.stdout.split(separator: "\n").first { $0.contains("node key") })
        let text = String(try #require(line.split(separator: " ").first { $0.hasPrefix("pn") }))
        return Peer.ringID(of: try #require(PublicKeyText.decode(text, prefix: "pn")))
    }

    @Test func fiveNodesConvergeAndHealAfterACrash() async throws {
        let tmp = try TemporaryDirectory(prefix: "ring")
        defer { tmp.remove() }
        let fast = ["-stabilizeInterval", "0.2"]
        let first = try ServerProcess(dataPath: tmp.sub("n0"), extraArguments: fast)
        var servers = [first]
        defer { for s in servers { s.stop() } }
        for i in 1..<5 {
            servers.append(try ServerProcess(dataPath: tmp.sub("n\(i)"), extraArguments: fast + ["-initialPeerAddr", first.address]))
        }
        let ids = Set(try servers.map(nodeID))
        let ring = try await waitForRing(from: servers[2].address, ids: ids)
        #expect(ring.count == 5)

        // A crashed node is routed around: the other four close the ring without it.
        servers[3].kill()
        _ = try await waitForRing(from: servers[0].address, ids: ids.subtracting([try nodeID(servers[3])]))

        // A node that leaves with SIGTERM tells its neighbours; the ring closes at once.
        #expect(servers[1].stop() == 0)
        _ = try await waitForRing(from: servers[0].address, ids: ids.subtracting([try nodeID(servers[3]), try nodeID(servers[1])]), within: 10)
    }

    @Test func aNodeStartedBeforeItsInitialPeerJoinsItLater() async throws {
        let tmp = try TemporaryDirectory(prefix: "ring-order")
        defer { tmp.remove() }
        // Reserve a port for the peer that is not running yet.
        let probe = try ServerProcess(dataPath: tmp.sub("probe"))
        let port = probe.port
        probe.stop()
        let early = try ServerProcess(dataPath: tmp.sub("early"), extraArguments: ["-initialPeerAddr", "127.0.0.1:\(port)", "-stabilizeInterval", "0.2"])
        defer { early.stop() }
        let late = try ServerProcess(dataPath: tmp.sub("late"), extraArguments: ["-stabilizeInterval", "0.2"], listen: "127.0.0.1:\(port)")
        defer { late.stop() }
        _ = try await waitForRing(from: late.address, ids: [try nodeID(early), try nodeID(late)])
        let log = try String(contentsOfFile: early.logPath, encoding: .utf8)
        #expect(log.contains("the initial peer does not answer"))
    }
}
