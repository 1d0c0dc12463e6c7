import ChordRing

/// The leases a writer renews as it goes (docs/retention.md part 2): its have-blocks lease what the ring holds, and
/// the blocks it stores are leased after each window's puts, all under the user's key. A backup, a sync round and a
/// recipient who keeps a share carry one, so no extra pass over the data is needed.
public struct BlockLeasing: Sendable {
    public let ring: any LeaseAccess
    public let terms: LeaseTerms

    public init(ring: any LeaseAccess, terms: LeaseTerms) {
        self.ring = ring
        self.terms = terms
    }

    /// Standard leases (`LeaseTerms.now`) under the user's signing key.
    public static func standard(_ ring: any LeaseAccess, _ identity: Identity) -> BlockLeasing {
        BlockLeasing(ring: ring, terms: .now(identity.signing))
    }

    /// For each id, whether the ring holds it, the held ones leased.
    public func haveBlocks(_ ids: [Identifier]) async throws -> [Bool] {
        try await ring.haveBlocks(ids, leasing: terms)
    }

    /// Leases blocks just stored.
    public func leaseStored(_ ids: [Identifier]) async throws {
        guard !ids.isEmpty else { return }
        _ = try await ring.lease(ids, terms: terms)
    }
}

extension BlockSink {
    /// Have-blocks, leasing what is held when `leasing` is given.
    func haveBlocks(_ ids: [Identifier], leasing: BlockLeasing?) async throws -> [Bool] {
        if let leasing { return try await leasing.haveBlocks(ids) }
        return try await haveBlocks(ids)
    }
}
