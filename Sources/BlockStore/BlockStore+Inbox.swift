import ChordRing
import PeerStoreModel

extension BlockStore {
    /// Appends an entry to its owner's inbox under the inbox rules (`InboxState`, with `settings.inboxLimits`); returns
    /// once durable: `.stored` if new, `.alreadyPresent` if it was there. A refused entry throws (`badInboxEntry`,
    /// `inboxEntryRemoved`, `inboxFull` with the cap in the message).
    @discardableResult
    public func post(_ entry: InboxEntry) async throws -> PutOutcome {
        switch inboxState(for: entry.owner).decide(post: entry) {
        case .reject(let error): throw BlockStoreError(error)
        case .duplicate: return .alreadyPresent
        case .store: break
        }
        return try await withCheckedThrowingContinuation { enqueue(.inboxEntry(entry, $0)) }
    }

    /// Applies the owner's signed removal; returns once durable: `.stored` if it removed an entry held here (only then is
    /// it kept), `.alreadyPresent` if it removed none.
    @discardableResult
    public func remove(_ removal: InboxRemoval) async throws -> PutOutcome {
        if let error = inboxState(for: removal.owner).check(removal) { throw BlockStoreError(error) }
        return try await withCheckedThrowingContinuation { enqueue(.inboxRemoval(removal, $0)) }
    }

    /// The inbox of `owner` as held here (empty if none).
    public func inboxState(for owner: [UInt8]) -> InboxState {
        inbox(key: InboxKey.of(owner: owner)) ?? InboxState(owner: owner, limits: settings.inboxLimits)
    }

    /// The inbox under `key`, if this store holds anything of it.
    public func inbox(key: Identifier) -> InboxState? {
        indexLock.lock()
        defer { indexLock.unlock() }
        return inboxes[key]
    }

    /// Every inbox held, for anti-entropy.
    public func allInboxes() -> [InboxState] {
        indexLock.lock()
        defer { indexLock.unlock() }
        return Array(inboxes.values)
    }
}
