import Foundation
import NIOCore
import NIOPosix
import PeerStoreTestKit
import PeerStoreWire
import Testing

/// Hundreds of connections that never finish the handshake do not keep a real client out: the node keeps at most 256
/// half-open ones (closing the oldest), and a client that handshakes is served at once.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct ConnectionFloodTests {
    @Test func halfOpenConnectionsDoNotKeepARealClientOut() async throws {
        let tmp = try TemporaryDirectory(prefix: "conn-flood")
        defer { tmp.remove() }
        let server = try ServerProcess(dataPath: tmp.sub("node"))
        defer { server.stop() }
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        var idle: [any Channel] = []
        defer { for c in idle { c.close(promise: nil) } }
        for _ in 0..<400 { idle.append(try await bootstrap.connect(host: "127.0.0.1", port: server.port).get()) }

        let started = ContinuousClock.now
        let client = try await WireClient.connect(to: PeerAddress(host: "127.0.0.1", port: server.port), secure: .openDemo())
        _ = try await client.ping()
        await client.close()
        let served = ContinuousClock.now - started
        #expect(served < .seconds(5), "served at once, not after the half-open ones timed out")

        // The node closed the oldest: at least 400 - 256 of them, well before their 10 s handshake deadline.
        let deadline = ContinuousClock.now + .seconds(5)
        var closed = idle.filter { !$0.isActive }.count
        while closed < 400 - 256, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            closed = idle.filter { !$0.isActive }.count
        }
        #expect(closed >= 400 - 256, "closed \(closed)")
        var figures = FaultFigures("400 half-open connections and a real client", runs: 1)
        figures.set("servedIn", "\(served.components.seconds * 1000 + served.components.attoseconds / 1_000_000_000_000_000)ms")
        figures.set("oldestClosed", closed)
        figures.record()
        #expect(server.process.isRunning)
    }
}
