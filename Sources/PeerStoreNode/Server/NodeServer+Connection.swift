import Logging
import NIOCore
import PeerStoreWire

extension NodeServer {
    /// Takes a new connection into `admission`, and its key once its handshake is done; closes the connections that
    /// must make room.
    private func admit(_ key: ObjectIdentifier, _ accepted: Connection) {
        close(admission.withLockedValue { $0.accepted(key) }, why: "too many connections in the handshake")
        accepted.outcome.established.futureResult.whenSuccess { [self] remoteKey in
            close(admission.withLockedValue { $0.authenticated(key, key: remoteKey) }, why: "too many connections of one key")
        }
    }

    private func close(_ keys: [ObjectIdentifier], why: String) {
        guard !keys.isEmpty else { return }
        logger.notice("closing the oldest connections to make room", metadata: ["reason": "\(why)", "count": "\(keys.count)"])
        let channels = state.withLockedValue { state in keys.compactMap { state.open[$0] } }
        for channel in channels { channel.close(promise: nil) }
    }

    /// Serves one connection: requests are handled concurrently up to a limit, responses go out as they finish.
    func serve(_ accepted: Connection, processor: RequestProcessor) async {
        let connection = accepted.channel
        let key = ObjectIdentifier(connection.channel)
        let remote = connection.channel.remoteAddress?.description ?? "?"
        // A connection accepted just as draining began is closed at once rather than missed.
        guard state.withLockedValue({ $0.register(key, connection.channel) }) else {
            try? await connection.channel.close()
            return
        }
        defer { state.withLockedValue { $0.remove(key) } }
        admit(key, accepted)
        defer { admission.withLockedValue { $0.closed(key) } }
        let limit = settings.maxInFlightPerConnection
        do {
            try await connection.executeThenClose { inbound, outbound in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    var inFlight = 0
                    for try await envelope in inbound {
                        if inFlight >= limit {
                            try await group.next()
                            inFlight -= 1
                        }
                        inFlight += 1
                        // Frames reach us only after the handshake, so the peer's key is known by now.
                        let peer = await processor.peer(for: accepted.outcome.remoteKey)
                        group.addTask {
                            let reply = await processor.handle(envelope, from: peer)
                            try await outbound.write(reply)
                        }
                    }
                    try await group.waitForAll()
                }
            }
        } catch let error as WireError {
            logger.warning("closed a connection after a protocol error", metadata: ["remote": "\(remote)", "error": "\(error)"])
        } catch {
            logger.debug("connection ended", metadata: ["remote": "\(remote)", "error": "\(error)"])
        }
    }
}
