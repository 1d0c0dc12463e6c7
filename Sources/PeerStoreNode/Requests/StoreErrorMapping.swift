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
            case .io, .locked, .closed, .newerFormat: .storageFailure
            case .noSpace: .noSpace
            case .tooManyRecords: .tooManyRecords
            }
        // What failed on the node's disk (paths, system errors) stays in its log; the peer is told what it means.
        switch error.code {
        case .noSpace: self.init(code, "its disk is full: free space there (or add nodes to the ring), then run again")
        case .io: self.init(code, "its store failed to read or write (its log says why)")
        default: self.init(code, error.message)
        }
    }
}
