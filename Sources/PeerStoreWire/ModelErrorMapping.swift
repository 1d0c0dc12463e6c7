import PeerStoreModel

extension WireError {
    /// The wire's error for what the shared model refused: the matching code, the same message.
    public init(_ error: ModelError) {
        let code: Code =
            switch error.code {
            case .badRecord: .badRecord
            case .staleRecord: .staleRecord
            case .casFailed: .casFailed
            case .badInboxEntry, .badInboxRemoval: .badInboxEntry
            case .inboxEntryRemoved: .inboxEntryRemoved
            case .inboxFull: .inboxFull
            case .badLease: .badLease
            }
        self.init(code, error.message)
    }
}
