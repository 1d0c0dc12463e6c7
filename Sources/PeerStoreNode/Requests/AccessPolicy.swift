import ChordRing
import PeerStoreModel
import PeerStoreWire

/// Who may do what on this node: every rule of `-allowUsers` in one place, decided from the peer alone (a pure value,
/// no ring, no store). Reading stays open to every peer that passed the handshake, and so does an inbox removal: the
/// owner's signature on it is checked by the store.
public struct AccessPolicy: Sendable, Equatable {
    /// With a list, only these users may store (nodes always may); nil lets every user store.
    public let allowedUsers: Set<[UInt8]>?

    public init(allowedUsers: Set<[UInt8]>? = nil) {
        self.allowedUsers = allowedUsers
    }

    /// Whether it matters if a peer is a node or a user: only with an allow list (so ring membership is asked then).
    public var distinguishesNodes: Bool { allowedUsers != nil }

    /// Whether `peer` may store blocks and records here.
    public func mayStore(_ peer: Peer) -> Bool {
        guard let allowedUsers else { return true }
        if peer.kind == .node { return true }
        return peer.key.map { allowedUsers.contains($0) } ?? false
    }

    /// Whether `peer` may post `entry` to an inbox: posting is storing, and a user posts under its own key only (the
    /// poster key the per-poster cap counts is then the key the handshake proved). Nodes hand posts on placed.
    public func mayPost(_ entry: InboxEntry, from peer: Peer) -> Bool {
        guard mayStore(peer) else { return false }
        guard peer.kind == .user, let key = peer.key else { return true }
        return key == entry.poster
    }

    /// Whether `peer` may send Chord messages: a user on the allow list is a user, never a ring member, so it is
    /// refused; anyone else is left to the ring's own checks.
    public func mayTakePartInRing(_ peer: Peer) -> Bool {
        guard let allowedUsers, peer.kind != .node, let key = peer.key else { return true }
        return !allowedUsers.contains(key)
    }

    /// What a placed request needs. Placed puts skip routing, so with an allow list only ring members (and the users
    /// who may store anyway) may send them; reads placed with the `local` role stay open like every read.
    public func placement(of put: WireMessage, from peer: Peer) -> PlacementAccess {
        guard allowedUsers != nil else { return .allowed }
        switch put {
        case .putBlock, .putBlocks, .putRecord, .inboxPost, .leaseBlocks: break
        default: return .allowed
        }
        if peer.kind == .node { return .allowed }
        guard let key = peer.key else { return .refused }
        if mayStore(peer) { return .allowed }
        return .ifRingMember(Peer.ringID(of: key))
    }
}

/// The answer of `AccessPolicy.placement(of:from:)`.
public enum PlacementAccess: Sendable, Equatable {
    case allowed
    case refused
    /// Allowed if the ring knows this id as one of its members (asked of the ring, which the policy does not hold).
    case ifRingMember(Identifier)
}

extension AccessPolicy {
    static let storeRefused = WireError(.forbidden, "this node does not let your user id store (it is not in -allowUsers)")
    static let ringRefused = WireError(.forbidden, "a user id on this node's -allowUsers list does not take part in the ring")
    static let posterRefused = WireError(
        .forbidden, "an inbox entry must be posted by its poster: this connection proved another user id than the entry's signer")
    static let placeRefused = WireError(.forbidden, "only nodes of the ring may place puts here (this node has an -allowUsers list)")
}
