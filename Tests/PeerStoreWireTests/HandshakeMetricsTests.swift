import MetricsTestKit
import PeerStoreCrypto
import PeerStoreWire
import Testing

private typealias F = SecureFixtures

/// The handshake counters and timer, through a test metrics backend handed to the settings (no global bootstrap, so
/// handshakes of other tests do not add to these counts).
@Suite struct HandshakeMetricsTests {
    static let handshakes = "peerstore_handshakes_total"
    static let duration = "peerstore_handshake_duration"

    @Test func aHandshakeIsCountedAndTimedOnBothSides() throws {
        let metrics = TestMetrics()
        let pair = try SecurePair(client: .init(networkKey: F.network, identity: F.clientIdentity, metrics: metrics),
                                  server: .init(networkKey: F.network, identity: F.serverIdentity, metrics: metrics))
        try pair.client.activate()
        try pair.pump()
        #expect(pair.client.outcome.remoteKey == F.serverIdentity.publicKey)
        for side in ["client", "server"] {
            #expect(metrics.counterTotal(label: Self.handshakes, dimensions: [("side", side), ("result", "ok")]) == 1, "\(side)")
            #expect(metrics.counterTotal(label: Self.handshakes, dimensions: [("side", side), ("result", "failed")]) == 0, "\(side)")
            #expect(try metrics.expectTimer(Self.duration, [("side", side)]).values.count == 1, "\(side)")
        }
        // Traffic after the handshake is not a handshake.
        pair.client.write("hello")
        try pair.pump()
        #expect(metrics.counterTotal(label: Self.handshakes) == 2)
    }

    @Test func aFailedHandshakeIsCountedNotTimed() throws {
        let metrics = TestMetrics()
        let pair = try SecurePair(client: .init(networkKey: F.otherNetwork, identity: F.clientIdentity),
                                  server: .init(networkKey: F.network, identity: F.serverIdentity, metrics: metrics))
        try pair.client.activate()
        try pair.pump()
        #expect(!pair.server.isActive)
        #expect(metrics.counterTotal(label: Self.handshakes, dimensions: [("side", "server"), ("result", "failed")]) == 1)
        #expect(metrics.counterTotal(label: Self.handshakes, dimensions: [("result", "ok")]) == 0)
        #expect(metrics.timers(label: Self.duration).isEmpty)
    }

    @Test func aClientRefusingAChangedServerKeyCountsAFailure() throws {
        let metrics = TestMetrics()
        let pair = try SecurePair(client: .init(networkKey: F.network, identity: F.clientIdentity,
                                                expectedServerKey: SigningKeyPair().publicKey, metrics: metrics))
        try pair.client.activate()
        try pair.pump()
        #expect(!pair.client.isActive)
        #expect(metrics.counterTotal(label: Self.handshakes, dimensions: [("side", "client"), ("result", "failed")]) == 1)
        #expect(metrics.counterTotal(label: Self.handshakes, dimensions: [("result", "ok")]) == 0)
    }
}
