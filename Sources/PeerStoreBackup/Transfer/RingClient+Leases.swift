import ChordRing
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreWire

extension RingClient: LeaseAccess {
    /// For each id, whether its owner holds it, leasing those held on the way (have-blocks with a grant): ids are
    /// grouped by owner as `haveBlocks` groups them, and each group is one signed grant per `LeaseGrant.maxIDs` ids.
    public func haveBlocks(_ ids: [Identifier], leasing terms: LeaseTerms) async throws -> [Bool] {
        try await perOwner(ids) { batch, owner in
            let grant = try LeaseGrant(ids: batch, issuedAt: terms.issuedAt, expiry: terms.expiry, signingWith: terms.keys)
            return try await self.sendToOwner(about: owner) { try await $0.haveBlocks(leasing: grant) }
        }
    }

    /// Leases `ids` (blocks just stored) on their owners, which copy the lease to the replicas; which are held.
    public func lease(_ ids: [Identifier], terms: LeaseTerms) async throws -> [Bool] {
        try await perOwner(ids) { batch, owner in
            let grant = try LeaseGrant(ids: batch, issuedAt: terms.issuedAt, expiry: terms.expiry, signingWith: terms.keys)
            return try await self.sendToOwner(about: owner) { try await $0.lease(grant) }
        }
    }

    /// Releases the leases of `keys` on `ids` with `horizon` (when the releasing prune read the heads); per id,
    /// whether the owner still holds the holder's lease (one renewed within B of the horizon stays).
    public func release(_ ids: [Identifier], horizon: UInt64, signingWith keys: SigningKeyPair) async throws -> [Bool] {
        try await perOwner(ids) { batch, owner in
            let release = try LeaseRelease(ids: batch, horizon: horizon, signingWith: keys)
            return try await self.sendToOwner(about: owner) { try await $0.release(release) }
        }
    }

    /// Runs `call` for each owner's ids in batches of at most `LeaseGrant.maxIDs`, at once, and puts the answers (one
    /// per id) back in the order of `ids`.
    private func perOwner<T: Sendable>(
        _ ids: [Identifier], _ call: @escaping @Sendable ([Identifier], Identifier) async throws -> [T]
    ) async throws -> [T] {
        let view = self.view
        let groups = Dictionary(grouping: ids.indices) { view.ownerIndex(of: ids[$0]) ?? 0 }
        var answers = [T?](repeating: nil, count: ids.count)
        try await withThrowingTaskGroup(of: ([Int], [T]).self) { group in
            for indices in groups.values {
                for start in stride(from: 0, to: indices.count, by: LeaseGrant.maxIDs) {
                    let part = Array(indices[start..<min(indices.count, start + LeaseGrant.maxIDs)])
                    let batch = part.map { ids[$0] }
                    group.addTask { (part, try await call(batch, batch[0])) }
                }
            }
            for try await (part, values) in group {
                guard values.count == part.count else {
                    throw WireError(.unexpectedResponse, "a node answered a lease request with \(values.count) answers for \(part.count) ids")
                }
                for (i, value) in zip(part, values) { answers[i] = value }
            }
        }
        return answers.map { $0! }
    }
}
