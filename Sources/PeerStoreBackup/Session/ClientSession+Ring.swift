import Foundation
import PeerStoreWire

extension ClientSession {
    /// Connects to the entry node over the secure channel, learns the ring from it, runs `body`, and closes every
    /// connection whatever happens. The entry node's key is pinned on first contact (known_nodes); a node that later
    /// proves another key is refused. The other nodes' keys come from the ring's own successor lists.
    public func withRing<T>(_ config: ClientConfig, _ identity: Identity, _ body: (RingClient) async throws -> T) async throws -> T {
        let address = try PeerAddress(parsing: options.peerAddr ?? config.peerAddr ?? Self.defaultPeer)
        var known = try KnownNodes(path: home.knownNodesPath)
        let pinned = address.key ?? known.key(for: address)
        let settings = SecureChannelSettings(networkKey: try networkKey(config), identity: identity.signing, expectedServerKey: pinned)
        let client = try await enter(address, settings, known)
        if pinned == nil || address.key != nil, client.address.hostPort == address.hostPort, let key = client.remoteKey,
            known.key(for: address) != key
        {
            try known.pin(key, for: address, in: home)
            if !options.quiet {
                note("first contact with \(address.hostPort): pinned its key \(PublicKeyText.encode(key, prefix: "pn")) in \(home.knownNodesPath)")
            }
        }
        let ring: RingClient
        do {
            var open = settings
            open.expectedServerKey = nil
            ring = try await RingClient.start(entry: client, secure: open, clock: clock, logger: logger)
        } catch {
            await client.close()
            throw BackupError(.unreachable, "the node at \(address.hostPort) did not tell the ring's members: \(error)")
        }
        // Remember the ring's nodes this client reached, so that a later run can enter through another one when this
        // one is down (not every node some list named: a member could name addresses with keys of its own making).
        var learned: [(address: PeerAddress, key: [UInt8])] = []
        for node in await ring.reachedNodes {
            if let key = node.key, let a = try? PeerAddress(parsing: node.address) { learned.append((a, key)) }
        }
        try? known.remember(learned, in: home)
        if options.peerAddr != nil || options.networkKeyFile != nil, var saved = try? home.loadConfig() {
            let before = saved
            rememberRing(in: &saved)
            if saved != before { try? home.save(saved) }
        }
        do {
            let result = try await body(ring)
            await ring.close()
            return result
        } catch {
            await ring.close()
            throw error
        }
    }

    /// The entry node: `address`, or (only for a remembered address that does not answer) another node this client
    /// has pinned, said in a note. A -peerAddr given on this command line is meant: it not answering is an error.
    private func enter(_ address: PeerAddress, _ settings: SecureChannelSettings, _ known: KnownNodes) async throws -> WireClient {
        do {
            return try await WireClient.connect(to: address, secure: settings, logger: logger)
        } catch let error as WireError {
            guard error.code == .connectionFailed || error.code == .timedOut, options.peerAddr == nil,
                let other = await otherEntry(known, besides: address, settings)
            else {
                throw entryFailed(error, address)
            }
            note("the remembered node \(address.hostPort) does not answer (\(error.message)); using the node at \(other.address.hostPort) for this run")
            return other
        }
    }

    /// A connection to another node this client has pinned (learned from the ring on an earlier run), or nil.
    private func otherEntry(_ known: KnownNodes, besides address: PeerAddress, _ settings: SecureChannelSettings) async -> WireClient? {
        for (hostPort, key) in known.keys.sorted(by: { $0.key < $1.key }) where hostPort != address.hostPort {
            guard let other = try? PeerAddress(parsing: hostPort) else { continue }
            var pinned = settings
            pinned.expectedServerKey = key
            if let client = try? await WireClient.connect(to: other, secure: pinned, connectTimeout: .seconds(3), logger: logger) {
                return client
            }
        }
        return nil
    }

    /// The user-facing error for an entry node that could not be used.
    private func entryFailed(_ error: WireError, _ address: PeerAddress) -> BackupError {
        switch error.code {
        case .serverKeyChanged:
            BackupError(
                .unreachable,
                "the node at \(address.hostPort) proved a different key than the one pinned for it: it may be an impostor. If it was reinstalled on purpose, delete its line from \(home.knownNodesPath) (or give -peerAddr NEWKEY@\(address.hostPort)) and try again")
        case .connectionFailed where options.peerAddr == nil:
            BackupError(.unreachable, "\(error.message) (the remembered -peerAddr; no other node this client knows answers either)")
        case .connectionFailed:
            BackupError(.unreachable, "\(error.message) (-peerAddr)")
        default:
            BackupError(.unreachable, error.message)
        }
    }
}
