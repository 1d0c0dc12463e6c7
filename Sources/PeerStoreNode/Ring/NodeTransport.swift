import ChordRing
import Logging
import PeerStoreCrypto
import PeerStoreWire

/// Connections from this node to other nodes, one per address, opened on first use over the secure channel with the
/// node's own key, and pinned to the key the ring entry carries. A failed connection is dropped and reopened later.
public actor NodeTransport {
    private let identity: SigningKeyPair
    private let networkKey: NetworkKey
    private let logger: Logger
    private var clients: [String: WireClient] = [:]

    public init(identity: SigningKeyPair, networkKey: NetworkKey, logger: Logger) {
        self.identity = identity
        self.networkKey = networkKey
        self.logger = logger
    }

    /// A connection to `address`, pinned to `key` when given.
    public func client(for address: String, key: [UInt8]?) async throws -> WireClient {
        if let existing = clients[address] { return existing }
        var settings = SecureChannelSettings(networkKey: networkKey, identity: identity)
        settings.expectedServerKey = key
        let client = try await WireClient.connect(to: try PeerAddress(parsing: address), secure: settings, connectTimeout: .seconds(2),
                                                  logger: logger)
        if let raced = clients[address] {
            await client.close()
            return raced
        }
        clients[address] = client
        return client
    }

    /// Sends a request to a node; on any failure the connection is dropped and the error rethrown.
    public func request(_ message: WireMessage, to address: String, key: [UInt8]?) async throws -> WireMessage {
        let client = try await client(for: address, key: key)
        do {
            return try await client.request(message)
        } catch let error as WireError where error.code == .connectionClosed || error.code == .connectionFailed {
            if clients[address] === client { clients[address] = nil }
            await client.close()
            throw error
        }
    }

    public func closeAll() async {
        for client in clients.values { await client.close() }
        clients = [:]
    }
}
