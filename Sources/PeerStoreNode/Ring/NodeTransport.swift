import ChordRing
import Logging
import PeerStoreCrypto
import PeerStoreWire

/// Connections from this node to other nodes, opened on first use over the secure channel with the node's own key, and
/// pinned to the key the ring entry carries. Two per peer: ring maintenance never waits behind bulk data (a stabilize
/// request stuck behind puts would time out and drop a live successor). A failed connection is reopened later.
public actor NodeTransport {
    public enum Lane: Sendable {
        /// Chord messages and status: small and time-critical.
        case control
        /// Puts and gets of blocks and records.
        case data
    }

    private let identity: SigningKeyPair
    private let networkKey: NetworkKey
    private let logger: Logger
    private var clients: [String: WireClient] = [:]

    public init(identity: SigningKeyPair, networkKey: NetworkKey, logger: Logger) {
        self.identity = identity
        self.networkKey = networkKey
        self.logger = logger
    }

    /// A connection to `address`, pinned to `key`. Only a first contact passes no key (the initial peer, a status
    /// survey's start): the key is then learned in the handshake and the caller checks it against the node's id. An open
    /// connection is reused only if it proved that same key, so an entry with another key never rides on it.
    public func client(for address: String, key: [UInt8]?, lane: Lane = .control) async throws -> WireClient {
        let slot = (lane == .control ? "c " : "d ") + address
        if let existing = clients[slot], key == nil || existing.remoteKey == key { return existing }
        var settings = SecureChannelSettings(networkKey: networkKey, identity: identity)
        settings.expectedServerKey = key
        let client = try await WireClient.connect(to: try PeerAddress(parsing: address), secure: settings, connectTimeout: .seconds(2),
                                                  logger: logger)
        if let raced = clients[slot], raced.remoteKey == client.remoteKey {
            await client.close()
            return raced
        }
        // The address proved this key now (a reinstalled node): the connection to the key it had before goes.
        if let old = clients[slot] { await old.close() }
        clients[slot] = client
        return client
    }

    /// Sends a request to a ring entry over a connection pinned to its key; an entry without a key is not contacted.
    /// On any failure the connection is dropped and the error rethrown.
    public func request(_ message: WireMessage, to address: String, key: [UInt8]?) async throws -> WireMessage {
        guard let key else { throw WireError(.serverKeyChanged, "the ring entry for \(address) has no key to pin; not contacted") }
        let lane: Lane
        switch message {
        case .chord, .status, .ping: lane = .control
        default: lane = .data
        }
        let slot = (lane == .control ? "c " : "d ") + address
        let client = try await client(for: address, key: key, lane: lane)
        do {
            return try await client.request(message)
        } catch let error as WireError where error.code == .connectionClosed || error.code == .connectionFailed {
            if clients[slot] === client { clients[slot] = nil }
            await client.close()
            throw error
        }
    }

    public func closeAll() async {
        for client in clients.values { await client.close() }
        clients = [:]
    }
}
