import PeerStoreModel

extension WireClient {
    /// Which of the grant's ids the node holds, leasing those to the grant's holder. A node older than leases answers
    /// a plain have-blocks instead, so a client keeps working against it (nothing is leased there, and such a node
    /// deletes nothing either).
    public func haveBlocks(leasing grant: LeaseGrant) async throws -> [Bool] {
        do {
            guard case .haveBlocksResult(let present) = try await request(.haveBlocksLeased(grant: grant)),
                present.count == grant.ids.count
            else { throw unexpectedLeaseAnswer("have blocks") }
            return present
        } catch let error as WireError where error.code == .unknownMessageType {
            return try await haveBlocks(grant.ids)
        }
    }

    /// Leases the grant's blocks that the node holds (its owner copies the lease to the replicas); which are held.
    public func lease(_ grant: LeaseGrant) async throws -> [Bool] {
        guard case .leaseBlocksResult(let present) = try await leaseRequest(.leaseBlocks(grant: grant)),
            present.count == grant.ids.count
        else { throw unexpectedLeaseAnswer("lease blocks") }
        return present
    }

    /// Applies the holder's signed release; per id, whether the holder still holds a lease (renewed within B).
    @discardableResult
    public func release(_ release: LeaseRelease) async throws -> [Bool] {
        guard case .releaseBlocksResult(let held) = try await leaseRequest(.releaseBlocks(release: release)),
            held.count == release.ids.count
        else { throw unexpectedLeaseAnswer("release blocks") }
        return held
    }

    /// A node older than leases answers their messages with `unknownMessageType`: say so plainly.
    private func leaseRequest(_ message: WireMessage) async throws -> WireMessage {
        do {
            return try await request(message)
        } catch let error as WireError where error.code == .unknownMessageType {
            throw WireError(
                .unknownMessageType,
                "the node at \(address.hostPort) runs a PeerStore without leases; ask its operator to upgrade it, or use another node")
        }
    }

    private func unexpectedLeaseAnswer(_ what: String) -> WireError {
        WireError(.unexpectedResponse, "\(address) answered a \(what) request with the wrong message type")
    }
}
