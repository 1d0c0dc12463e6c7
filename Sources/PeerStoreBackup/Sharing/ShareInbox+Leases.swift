import ChordRing

extension ShareInbox {
    /// Leases, under this user's key, every block the shares' newest versions need (a manifest is fetched for its
    /// chunks): a recipient who keeps a share holds its own leases, which the sender's prune cannot end. Returns how
    /// many blocks were leased; those the ring no longer holds are left out, as is a share whose manifest cannot be
    /// read (the others are leased all the same).
    @discardableResult
    public func leaseKept(_ shares: [Received]) async throws -> Int {
        let catalog = SnapshotCatalog(client: ring, identity: identity)
        var ids = Set<Identifier>()
        for share in shares {
            // One walk per share, so that one whose manifest is gone leaves the others' ids whole.
            var walk = ReferenceWalk(catalog: catalog)
            guard (try? await walk.walkContent(share.grant.content, what: share.grant.shownName)) != nil else { continue }
            ids.formUnion(walk.ids)
        }
        // The ring client batches the grant per owner.
        return try await BlockLeasing.standard(ring, identity).haveBlocks(Array(ids)).filter { $0 }.count
    }
}
