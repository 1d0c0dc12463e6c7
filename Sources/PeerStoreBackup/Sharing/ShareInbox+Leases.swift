import ChordRing
import PeerStoreWire

extension ShareInbox {
    /// Leases, under this user's key, every block the shares' newest versions need (a manifest is fetched for its
    /// chunks): a recipient who keeps a share holds its own leases, which the sender's prune cannot end. Returns how
    /// many blocks were leased; those the ring no longer holds are left out, as is a share whose manifest cannot be
    /// read (the others are leased all the same).
    @discardableResult
    public func leaseKept(_ shares: [Received]) async throws -> Int {
        let fetcher = BlockFetcher(client: ring)
        var ids = Set<Identifier>()
        for share in shares {
            guard let found = try? await ContentBlocks.ids(of: share.grant.content, fetcher: fetcher, what: share.grant.shownName) else {
                continue
            }
            ids.formUnion(found)
        }
        let all = Array(ids)
        let leasing = BlockLeasing.standard(ring, identity)
        var held = 0
        for start in stride(from: 0, to: all.count, by: HaveBlocksBatch.cacheCheck) {
            let batch = Array(all[start..<min(all.count, start + HaveBlocksBatch.cacheCheck)])
            held += try await leasing.haveBlocks(batch).filter { $0 }.count
        }
        return held
    }
}
