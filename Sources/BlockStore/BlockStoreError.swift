import PeerStoreModel

/// Errors of the block store, each with a stable code and a message that says what to do.
public struct BlockStoreError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        case idMismatch
        case tooLarge
        case corruptBlock
        case io
        case locked
        case badRecord
        case staleRecord
        case casFailed
        case closed
        case badInboxEntry
        case inboxEntryRemoved
        case inboxFull
        case badLease
        /// The data path's filesystem is full (ENOSPC, EDQUOT): nothing of the write was acknowledged.
        case noSpace
        /// The record's owner has `BlockStoreSettings.maxRecordsPerOwner` record keys here already.
        case tooManyRecords
        /// The data path was written by a newer build (`DataPathFormat`).
        case newerFormat
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

extension BlockStoreError {
    /// The store's error for a record or inbox entry the model rejected: same code, same message.
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
