/// Errors of the shared model (a record that is malformed, badly signed, stale or lost a compare-and-swap; an inbox
/// entry or removal that is malformed, badly signed, removed already or over a cap; a bad lease), each with a stable code and a
/// message that says what happened.
public struct ModelError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        case badRecord
        case staleRecord
        case casFailed
        /// An inbox entry that is malformed, too large or not signed by its poster.
        case badInboxEntry
        /// An inbox removal that is malformed or not signed by the inbox's owner.
        case badInboxRemoval
        /// The inbox's owner removed this entry; it is not taken again.
        case inboxEntryRemoved
        /// A cap of the inbox was hit (entries of this poster, entries or bytes of the whole inbox); the message says which.
        case inboxFull
        /// A lease grant or release that is malformed, badly signed or refused (issued too far ahead of the node's clock).
        case badLease
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
