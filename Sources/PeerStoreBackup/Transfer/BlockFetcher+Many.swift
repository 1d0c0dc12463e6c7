import ChordRing
import PeerStoreConcurrency

extension BlockFetcher {
    /// How many blocks `fetchAll` asks for at once.
    public static let concurrentFetches = 8

    /// The verified bytes of every block of `ids`, in their order, fetched at most `limit` at once; `what` names the
    /// n-th for error messages. The first failure is thrown.
    public func fetchAll(_ ids: [Identifier], limit: Int = concurrentFetches, what: @escaping @Sendable (Int) -> String) async throws
        -> [[UInt8]]
    {
        var out = [[UInt8]](repeating: [], count: ids.count)
        let fetcher = self
        try await forEachConcurrently(Array(ids.enumerated()), limit: limit, body: { n, id in
            (n, try await fetcher.fetch(id, what: what(n)))
        }, onResult: { out[$0.0] = $0.1 })
        return out
    }
}
