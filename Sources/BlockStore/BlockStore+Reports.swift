import ChordRing
import PeerStoreModel

extension BlockStore {
    /// What the store did about a client's report that its copy of a block failed the client's check.
    public enum ReportOutcome: Sendable, Equatable {
        /// Not held here (never, or dropped already).
        case absent
        /// The copy here passes the full check (its id): kept. A report can never drop a good copy.
        case intact
        /// The copy here failed the full check and was dropped as a read drops one (a drop entry, out of the index).
        case dropped
    }

    /// Re-reads the copy of `id` and checks it in full (its id, not the fast checksum a read uses, which a damaged copy
    /// may pass by chance); only a copy that fails is dropped, so that anti-entropy or read repair brings it back.
    /// Throws `io` if it cannot read.
    public func checkReported(_ id: Identifier) throws -> ReportOutcome {
        indexLock.lock()
        let location = index[id]
        let file = location.flatMap { segments[$0.segment] }
        indexLock.unlock()
        guard let location, let file else { return .absent }
        let bytes = try file.read(at: location.offset, count: location.length)
        guard !StoredBlockCheck.full(bytes, id: id, at: location) else { return .intact }
        let dropped = dropBlock(id, at: location)
        logger.warning("a block a client reported failed its hash; dropped", metadata: ["dropped": "\(dropped)"])
        logger.debug("reported block", metadata: ["block": "\(id)"])
        return dropped ? .dropped : .absent
    }
}
