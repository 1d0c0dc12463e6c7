import BlockStore
import PeerStoreWire

extension WireError {
    /// The wire's typed error for what the store refused or failed at.
    init(_ error: BlockStoreError) {
        let code: WireError.Code =
            switch error.code {
            case .idMismatch: .idMismatch
            case .tooLarge: .tooLarge
            case .corruptBlock: .corruptBlock
            case .badRecord: .badRecord
            case .staleRecord: .staleRecord
            case .casFailed: .casFailed
            case .badInboxEntry: .badInboxEntry
            case .inboxEntryRemoved: .inboxEntryRemoved
            case .inboxFull: .inboxFull
            case .badLease: .badLease
            case .io, .locked, .closed: .storageFailure
            }
        self.init(code, error.message)
    }
}
