/// Which connections a node keeps when peers open many: at most `maxHandshaking` that have not finished the secure
/// handshake (a new one past that closes the oldest still handshaking, so a flood of half-open connections cannot keep
/// a real client out: its handshake takes milliseconds), and at most `maxPerKey` of one authenticated key (past that,
/// that key's oldest is closed). Pure: connections are told in, authenticated and out; it answers which to close.
struct ConnectionAdmission<ID: Hashable & Sendable>: Sendable {
    let maxHandshaking: Int
    let maxPerKey: Int
    /// Handshaking connections, oldest first.
    private var handshaking: [ID] = []
    /// Authenticated connections of each key, oldest first.
    private var byKey: [[UInt8]: [ID]] = [:]
    private var keyOf: [ID: [UInt8]] = [:]

    init(maxHandshaking: Int = 256, maxPerKey: Int = 32) {
        precondition(maxHandshaking > 0 && maxPerKey > 0)
        self.maxHandshaking = maxHandshaking
        self.maxPerKey = maxPerKey
    }

    var handshakingCount: Int { handshaking.count }
    func count(of key: [UInt8]) -> Int { byKey[key]?.count ?? 0 }

    /// A connection was accepted; returns those to close (the oldest handshaking, past the cap).
    mutating func accepted(_ id: ID) -> [ID] {
        handshaking.append(id)
        guard handshaking.count > maxHandshaking else { return [] }
        let evicted = Array(handshaking.prefix(handshaking.count - maxHandshaking))
        handshaking.removeFirst(evicted.count)
        return evicted
    }

    /// `id` finished its handshake as `key`; returns those to close (that key's oldest, past its cap). A connection
    /// not handshaking any more (closed meanwhile) is not taken in.
    mutating func authenticated(_ id: ID, key: [UInt8]) -> [ID] {
        guard let i = handshaking.firstIndex(of: id) else { return [] }
        handshaking.remove(at: i)
        keyOf[id] = key
        byKey[key, default: []].append(id)
        guard let all = byKey[key], all.count > maxPerKey else { return [] }
        let evicted = Array(all.prefix(all.count - maxPerKey))
        byKey[key] = Array(all.dropFirst(evicted.count))
        for e in evicted { keyOf[e] = nil }
        return evicted
    }

    /// `id` closed.
    mutating func closed(_ id: ID) {
        if let i = handshaking.firstIndex(of: id) { handshaking.remove(at: i) }
        guard let key = keyOf.removeValue(forKey: id) else { return }
        byKey[key]?.removeAll { $0 == id }
        if byKey[key]?.isEmpty == true { byKey[key] = nil }
    }
}
