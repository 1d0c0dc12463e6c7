/// What a node's server is doing: serving (accepting and answering), draining (no new connections, the open ones
/// finish what they have), stopped. Holds the open connections while serving, so that draining can close their input.
struct ServerState<Key: Hashable, Handle> {
    enum Phase: Sendable, Equatable {
        case serving
        case draining
        case stopped
    }

    private(set) var phase: Phase = .serving
    private(set) var open: [Key: Handle] = [:]

    /// Takes in a connection; false once the server no longer serves (the connection is then closed at once rather
    /// than missed by draining).
    mutating func register(_ key: Key, _ handle: Handle) -> Bool {
        guard phase == .serving else { return false }
        open[key] = handle
        return true
    }

    mutating func remove(_ key: Key) {
        open.removeValue(forKey: key)
    }

    /// Stops taking connections; returns the open ones, to be told that no more requests are read.
    mutating func drain() -> [Handle] {
        if phase == .serving { phase = .draining }
        return Array(open.values)
    }

    mutating func stop() {
        phase = .stopped
    }
}

extension ServerState: Sendable where Key: Sendable, Handle: Sendable {}
