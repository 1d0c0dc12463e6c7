import ChordRing
import Logging
import PeerStoreCrypto
import PeerStoreNode
import PeerStoreWire
import Testing

/// Every connection from a node to a ring entry is pinned to the entry's key.
@Suite("Node transport pinning", .timeLimit(.minutes(1)))
struct NodeTransportPinningTests {
    @Test func anEntryWithAnotherKeyOrNoKeyIsRefusedEvenWithAConnectionOpen() async throws {
        let server = try RunningServer()
        defer { #expect(server.stop() == 0) }
        let address = server.address.hostPort
        let key = try await server.client().remoteKey
        let transport = NodeTransport(identity: SigningKeyPair(), networkKey: .openDemo, logger: Logger(label: "test"))
        defer { Task { await transport.closeAll() } }

        guard case .pong = try await transport.request(.ping, to: address, key: key) else {
            Issue.record("no pong with the right key")
            return
        }
        // The connection to that address is open now; an entry naming another key must not ride on it.
        await #expect(throws: WireError.self) { try await transport.request(.ping, to: address, key: SigningKeyPair().publicKey) }
        await #expect(throws: WireError.self) { try await transport.request(.ping, to: address, key: nil) }
        // The right key still works.
        guard case .pong = try await transport.request(.ping, to: address, key: key) else {
            Issue.record("no pong with the right key after a refused one")
            return
        }
    }
}
