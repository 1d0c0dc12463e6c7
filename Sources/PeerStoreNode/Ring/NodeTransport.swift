import ChordRing
import Logging
import PeerStoreCrypto
import NIOCore
import PeerStoreWire

/// Connections from this node to other nodes, opened on first use over the secure channel with the node's own key, and
/// pinned to the key the ring entry carries. Two per peer: ring maintenance never waits behind bulk data (a stabilize
/// request stuck behind puts would time out and drop a live successor). A failed connection is reopened later.
///
/// Every request has a deadline (`Deadlines`). A peer that lets one pass is frozen, hung or cut off: it is marked down
/// for a while, and requests to it fail at once instead of each waiting out a deadline of its own.
public actor NodeTransport {
    /// How long a peer may take to connect and answer, and how long one that did not stays marked down.
    public struct Deadlines: Sendable {
        /// TCP connect and, separately, the secure handshake.
        public var connect: Duration = .seconds(3)
        public var request: RequestDeadline = .peer
        public var downFor: Duration = .seconds(5)
        public init() {}
    }

    public enum Lane: Sendable {
        /// Chord messages and status: small and time-critical.
        case control
        /// Puts and gets of blocks and records.
        case data
    }

    private let identity: SigningKeyPair
    private let networkKey: NetworkKey
    private let logger: Logger
    private let deadlines: Deadlines
    private var clients: [String: WireClient] = [:]
    /// Addresses that let a deadline pass, and until when they count as down.
    private var down: [String: ContinuousClock.Instant] = [:]

    public init(identity: SigningKeyPair, networkKey: NetworkKey, deadlines: Deadlines = .init(), logger: Logger) {
        self.identity = identity
        self.networkKey = networkKey
        self.deadlines = deadlines
        self.logger = logger
    }

    /// A connection to `address`, pinned to `key`. Only a first contact passes no key (the initial peer, a status
    /// survey's start): the key is then learned in the handshake and the caller checks it against the node's id. An open
    /// connection is reused only if it proved that same key, so an entry with another key never rides on it. Fails at
    /// once (`timedOut`) while the address is marked down.
    public func client(for address: String, key: [UInt8]?, lane: Lane = .control) async throws -> WireClient {
        let slot = (lane == .control ? "c " : "d ") + address
        if let existing = clients[slot], key == nil || existing.remoteKey == key { return existing }
        if let until = down[address], ContinuousClock.now < until {
            throw WireError(.timedOut, "the node at \(address) did not answer in time a moment ago; not asking it again yet")
        }
        var settings = SecureChannelSettings(networkKey: networkKey, identity: identity)
        settings.expectedServerKey = key
        let client: WireClient
        do {
            client = try await WireClient.connect(
                to: try PeerAddress(parsing: address), secure: settings, connectTimeout: TimeAmount(deadlines.connect),
                deadline: deadlines.request, logger: logger)
        } catch let error as WireError where error.code == .timedOut {
            markDown(address, error)
            throw error
        }
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
    /// On any failure the connection is dropped and the error rethrown. A put handed to its owner gets the longer
    /// forwarding deadline (the owner copies it to its replicas before answering).
    public func request(_ message: WireMessage, to address: String, key: [UInt8]?) async throws -> WireMessage {
        guard let key else { throw WireError(.serverKeyChanged, "the ring entry for \(address) has no key to pin; not contacted") }
        let lane: Lane
        switch message {
        case .chord, .status, .ping: lane = .control
        default: lane = .data
        }
        let slot = (lane == .control ? "c " : "d ") + address
        let client = try await client(for: address, key: key, lane: lane)
        var timeout: Duration?
        if case .placedPut(.owner, _) = message { timeout = deadlines.request.forwarding.timeout(for: message) }
        do {
            return try await client.request(message, timeout: timeout)
        } catch let error as WireError where error.code == .connectionClosed || error.code == .connectionFailed || error.code == .timedOut {
            if clients[slot] === client { clients[slot] = nil }
            await client.close()
            if error.code == .timedOut { markDown(address, error) }
            throw error
        }
    }

    private func markDown(_ address: String, _ error: WireError) {
        if down[address].map({ ContinuousClock.now >= $0 }) ?? true {
            logger.warning("a node did not answer in time; counting it as down for a while",
                           metadata: ["node": "\(address)", "error": "\(error)"])
        }
        down[address] = ContinuousClock.now + deadlines.downFor
        // Close the other lane too: its requests would only wait out their own deadlines.
        for slot in ["c " + address, "d " + address] {
            if let client = clients.removeValue(forKey: slot) { Task { await client.close() } }
        }
    }

    public func closeAll() async {
        for client in clients.values { await client.close() }
        clients = [:]
    }
}
