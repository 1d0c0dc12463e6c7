/// The messages Chord nodes exchange. Requests carry a request id; replies carry the id of their request.
public enum ChordMessage: Sendable, Equatable {
    /// One step of an iterative lookup: "who owns `key`, or who is closer to it?"
    case findSuccessor(key: Identifier)
    case findSuccessorReply(FindSuccessorReply)
    /// "Tell me your predecessor and successor list" (stabilize, join, adopting a closer successor).
    case getState
    case state(predecessor: NodeIdentity?, successors: [NodeIdentity])
    /// "I might be your predecessor" (Zave's rectify; replaces notify + check_predecessor). One-way.
    case rectify
    case ping
    case pong
    /// A graceful leave: the leaving node's predecessor and successor list. One-way.
    case leaving(predecessor: NodeIdentity?, successors: [NodeIdentity])

    public var isRequest: Bool {
        switch self {
        case .findSuccessor, .getState, .ping: true
        default: false
        }
    }
}

/// The answer to one lookup step.
public enum FindSuccessorReply: Sendable, Equatable {
    /// The key's owner from the answering node's successor list, followed by the nodes after it (fallbacks if the
    /// owner turns out to be dead).
    case found(owners: [NodeIdentity])
    /// Nodes strictly closer to the key than the answering node, best first.
    case closer([NodeIdentity])
    /// The answering node has not joined a ring yet.
    case notReady
}

/// A message with its addressing.
public struct ChordEnvelope: Sendable, Equatable {
    public var from: NodeIdentity
    public var to: NodeIdentity
    /// Set on requests and on their replies; nil on one-way messages.
    public var requestID: UInt64?
    public var message: ChordMessage

    public init(from: NodeIdentity, to: NodeIdentity, requestID: UInt64?, message: ChordMessage) {
        self.from = from
        self.to = to
        self.requestID = requestID
        self.message = message
    }
}
