import ChordRing
import Logging
import PeerStoreWire

/// Brings a starting node into its ring. Without an initial peer (or given its own address) the node starts a ring of
/// one. Otherwise it joins the initial peer's ring and, until it can, keeps trying and says why, loudly: it does not
/// found a ring of its own, which would take puts and diverge, unless `startRingIfAlone` says so (and then it still
/// tries the initial peer, so a start-up order mistake heals itself).
struct RingJoiner: Sendable {
    let settings: NodeSettings
    /// The addresses that are this node: the one it listens on and the one it advertises.
    let own: [PeerAddress]
    let logger: Logger
    let isShuttingDown: @Sendable () -> Bool

    func run(_ ring: RingService, transport: NodeTransport) async {
        guard let peer = settings.initialPeer, !own.contains(where: { $0.hostPort == peer.hostPort }) else {
            logger.notice("starting a new ring: this is its first node")
            await ring.startAlone()
            return
        }
        var reports = JoinReports()
        var alone = false
        var attempts = 0
        let started = ContinuousClock.now
        while !Task.isCancelled && !isShuttingDown() {
            let outcome = await tryJoin(ring, transport: transport, peer: peer)
            if outcome == .joined { return }
            attempts += 1
            if reports.shouldReport(outcome, at: .now) { report(outcome, peer: peer, attempts: attempts, waited: ContinuousClock.now - started) }
            let joined = await ring.isJoined
            if settings.startRingIfAlone && !joined {
                // First time, or a failed join replaced the ring of one: found (again) a ring of our own.
                await ring.startAlone()
                alone = true
            }
            try? await Task.sleep(for: settings.rejoinInterval)
            // Another node joined our ring of one meanwhile: it is a ring now, keep it.
            if alone, !(await ring.isAlone) { return }
        }
    }

    private func report(_ outcome: JoinOutcome, peer: PeerAddress, attempts: Int, waited: Duration) {
        let plan = settings.startRingIfAlone
            ? "running a ring of our own meanwhile (-startRingIfAlone)"
            : "storing nothing until it does (give -startRingIfAlone to found a ring of our own instead)"
        let text = "\(outcome.message); trying again every \(settings.rejoinInterval.components.seconds) s, \(plan)"
        var metadata: Logger.Metadata = ["peer": "\(peer)"]
        if attempts > 1 {
            metadata["attempts"] = "\(attempts)"
            metadata["waiting"] = "\(waited.components.seconds) s"
        }
        if case .handshakeRefused(let reason) = outcome { metadata["error"] = "\(reason)" }
        switch outcome {
        case .otherKey, .idMismatch: logger.error("\(text)", metadata: metadata)
        default: logger.warning("\(text)", metadata: metadata)
        }
    }

    private func tryJoin(_ ring: RingService, transport: NodeTransport, peer: PeerAddress) async -> JoinOutcome {
        do {
            let client = try await transport.client(for: peer.hostPort, key: peer.key)
            let id = try await client.ping()
            guard let key = client.remoteKey, Peer.ringID(of: key) == id else { return .idMismatch }
            let joined = await ring.join(via: NodeIdentity(id: id, address: peer.hostPort, key: key))
            if joined { logger.notice("joined the ring", metadata: ["via": "\(peer)"]) }
            return joined ? .joined : .peerNotInRing
        } catch let error as WireError where error.code == .serverKeyChanged {
            return .otherKey
        } catch let error as WireError where error.code == .handshakeFailed {
            // Connected, but the secure handshake failed: distinct from nothing listening (`connectionFailed`).
            logger.debug("initial peer refused the handshake", metadata: ["peer": "\(peer)", "error": "\(error)"])
            return .handshakeRefused(error.message)
        } catch {
            logger.debug("initial peer not reachable", metadata: ["peer": "\(peer)", "error": "\(error)"])
            return .noAnswer
        }
    }
}
