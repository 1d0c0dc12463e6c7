/// How one attempt to join the ring through the initial peer ended.
enum JoinOutcome: Equatable, Sendable {
    case joined
    /// Nothing listens there, or the connection failed or timed out.
    case noAnswer
    /// The peer answers but is not in a ring itself (it waits for its own initial peer), or did not let us in.
    case peerNotInRing
    /// A node listens there but the secure handshake failed: another network key, most likely.
    case handshakeRefused(String)
    /// The peer proved another key than the one given with `-initialPeerAddr KEY@HOST:PORT`.
    case otherKey
    /// The peer proved a key whose ring id is not the id it claims.
    case idMismatch

    /// What to tell the administrator: what happened and what to do.
    var message: String {
        switch self {
        case .joined:
            "joined the ring"
        case .noAnswer:
            "the initial peer does not answer (nothing listens there, or it is not reachable from here): start it, or fix -initialPeerAddr"
        case .peerNotInRing:
            "the initial peer answers but did not let us into a ring: it may be waiting to join one itself. Start the ring's first node without -initialPeerAddr (or with -startRingIfAlone)"
        case .handshakeRefused:
            "the initial peer refused the secure handshake: it probably uses another network key (give every node of a ring the same -networkKeyFile). Not joining it"
        case .otherKey:
            "the initial peer proved another key than the one given in -initialPeerAddr KEY@HOST:PORT; not joining it"
        case .idMismatch:
            "the initial peer's ring id does not match its key; not joining it"
        }
    }

    /// A mistake that does not heal by waiting (as opposed to a peer that is not up yet).
    var isMistake: Bool {
        switch self {
        case .joined, .noAnswer, .peerNotInRing: false
        case .handshakeRefused, .otherKey, .idMismatch: true
        }
    }
}
