import ChordRing
import Foundation
import PeerStoreModel
import PeerStoreNode
import PeerStoreTestKit
import PeerStoreWire
import Testing

/// How a node starts: what it advertises, and what it does when its initial peer cannot be joined.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct RingJoinTests {
    func log(_ server: ServerProcess) -> String { (try? String(contentsOfFile: server.logPath, encoding: .utf8)) ?? "" }

    /// A port nothing listens on (a node started on port 0 and stopped again).
    func deadPort(_ tmp: TemporaryDirectory) throws -> Int {
        let probe = try ServerProcess(dataPath: tmp.sub("probe"))
        defer { probe.stop() }
        return probe.port
    }

    @Test func aNodeOnEveryInterfaceWithoutAnAdvertisedAddressRefusesToStart() throws {
        let tmp = try TemporaryDirectory(prefix: "wildcard")
        defer { tmp.remove() }
        let run = try CommandRunner.run("peerstore-server", ["-addr", "0.0.0.0:0", "-dataPath", tmp.sub("n")], timeout: 20)
        #expect(run.status != 0)
        let lines = run.stderr.split(separator: "\n").filter { !$0.contains("WARNING: no -networkKeyFile") }
        #expect(lines.count == 1 && lines[0].contains("-advertiseAddr"), "\(run.stderr)")
    }

    /// A data path a newer build wrote (its FORMAT mark names a later format): the node does not start, says so in one
    /// line with what to do, and writes nothing there.
    @Test func aDataPathOfANewerBuildIsRefused() throws {
        let tmp = try TemporaryDirectory(prefix: "newer-format")
        defer { tmp.remove() }
        let data = tmp.sub("n")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        try Data("peerstore data path format 99\n".utf8).write(to: URL(fileURLWithPath: data + "/FORMAT"))
        let run = try CommandRunner.run("peerstore-server", ["-addr", "127.0.0.1:0", "-dataPath", data], timeout: 20)
        #expect(run.status != 0)
        let lines = run.stderr.split(separator: "\n").filter { !$0.contains("WARNING: no -networkKeyFile") }
        #expect(lines.count == 1 && lines[0].contains("newer peerstore-server") && lines[0].contains("format 99"), "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: data).sorted() == ["FORMAT", "LOCK"])
    }

    @Test func aNodeWhoseInitialPeerDoesNotAnswerKeepsTryingAndStoresNothing() async throws {
        let tmp = try TemporaryDirectory(prefix: "nojoin")
        defer { tmp.remove() }
        let port = try deadPort(tmp)
        let waiting = try ServerProcess(dataPath: tmp.sub("w"), extraArguments: ["-initialPeerAddr", "127.0.0.1:\(port)"])
        defer { waiting.stop() }
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline && !log(waiting).contains("does not answer") { try await Task.sleep(for: .milliseconds(100)) }
        let text = log(waiting)
        #expect(text.contains("the initial peer does not answer") && text.contains("-startRingIfAlone"), "\(text)")
        #expect(!text.contains("ring of one") && !text.contains("joined the ring"), "\(text)")

        // Not a ring of its own: no successors, and a put is refused so that nothing diverges from the real ring.
        let (statuses, _) = try await RingSurvey.walk(from: try PeerAddress(parsing: waiting.address), networkKey: .openDemo)
        #expect(statuses.count == 1 && statuses.first?.successors.isEmpty == true, "\(statuses.map(\.successors))")
        let client = try await WireClient.connect(to: try PeerAddress(parsing: waiting.address), secure: .openDemo())
        defer { Task { await client.close() } }
        let bytes: [UInt8] = Array("a block for nobody".utf8)
        do {
            try await client.putBlock(id: BlockID.of(bytes), bytes: bytes)
            Issue.record("a node outside any ring took a put")
        } catch let error as WireError {
            #expect(error.code == .notInRing && !error.isAnswer, "\(error.code): \(error)")
        }
    }

    @Test func withStartRingIfAloneItRunsARingOfOneAndSaysSo() async throws {
        let tmp = try TemporaryDirectory(prefix: "alone")
        defer { tmp.remove() }
        let port = try deadPort(tmp)
        let alone = try ServerProcess(dataPath: tmp.sub("a"), extraArguments: ["-initialPeerAddr", "127.0.0.1:\(port)", "-startRingIfAlone"])
        defer { alone.stop() }
        let id = try LiveRingTests().nodeID(alone)
        let deadline = Date().addingTimeInterval(15)
        var statuses: [NodeStatus] = []
        while Date() < deadline {
            statuses = (try? await RingSurvey.walk(from: try PeerAddress(parsing: alone.address), networkKey: .openDemo))?.statuses ?? []
            if statuses.first?.successors.map(\.id) == [id] { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(statuses.count == 1 && statuses.first?.successors.map(\.id) == [id])
        let text = log(alone)
        #expect(text.contains("running as a ring of one") && text.contains("running a ring of our own meanwhile"), "\(text)")
        #expect(!text.contains("joined the ring"), "\(text)")
    }
}
