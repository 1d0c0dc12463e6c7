/// What a node asks its shell to do. The state machine does no I/O and reads no clock: it returns directives.
public enum ChordDirective: Sendable, Equatable {
    /// Deliver a message.
    case send(ChordEnvelope)
    /// Call `onTimer(timer)` after `delay`.
    case schedule(ChordTimer, after: Duration)
    /// A lookup started with `lookup(key:tag:)` finished.
    case lookupCompleted(LookupResult)
    /// The node has joined (it has a full successor list from a live successor).
    case joined
}

/// The timers a node sets.
public enum ChordTimer: Sendable, Hashable {
    case stabilize
    case fixFinger
    case requestTimeout(UInt64)
    case retryLookup(UInt64)
    case retryJoin
}

/// The outcome of a lookup.
public struct LookupResult: Sendable, Equatable {
    public var tag: UInt64
    public var key: Identifier
    /// The owner (successor of the key), or nil if every attempt failed.
    public var owner: NodeIdentity?
    /// Lookup steps answered by other nodes (the path length).
    public var hops: Int
    /// Requests that timed out on the way.
    public var timeouts: Int
}
