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
        let fetcher = self
        return try await mapConcurrently(Array(ids.enumerated()), limit: limit) { n, id in try await fetcher.fetch(id, what: what(n)) }
    }
}
