/// Errors of the wire protocol. `Code` values travel in error responses, so their raw values are pinned.
public struct WireError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: UInt16, Sendable {
        case frameTooLarge = 1
        case malformedFrame = 2
        case unknownMessageType = 3
        case malformedMessage = 4
        case notFound = 5
        case idMismatch = 6
        case tooLarge = 7
        case badRecord = 8
        case staleRecord = 9
        case casFailed = 10
        case storageFailure = 11
        case unexpectedResponse = 12
        case connectionFailed = 13
        case connectionClosed = 14
        case corruptBlock = 15
        case handshakeFailed = 16
        case serverKeyChanged = 17
        case forbidden = 18
        case channelTampered = 19
        /// The node did not answer (or finish the handshake) within the deadline; the connection is closed.
        case timedOut = 20
        /// The node has not joined its ring (yet): it stores nothing, so that it cannot diverge from the ring.
        case notInRing = 21
        /// A cap of the recipient's inbox was hit (entries of this sender, entries or bytes of the inbox).
        case inboxFull = 22
        /// An inbox entry or removal that is malformed, too large or not signed by the right key.
        case badInboxEntry = 23
        /// The inbox's owner removed this entry already.
        case inboxEntryRemoved = 24
        /// A lease grant or release that is malformed, badly signed or issued too far ahead of the node's clock.
        case badLease = 25
        /// The node's disk is full: it stores nothing more until it has room (it still serves what it holds).
        case noSpace = 26
        /// The record's owner has as many records on the node as it keeps for one user.
        case tooManyRecords = 27
        /// The peer sent more of a costly kind of request than the node takes a second: try again a little later.
        case busy = 28
        case internalError = 99
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// Whether this is a working node's answer to the request (not found, refused, a lost compare-and-swap), as opposed
    /// to the node or the connection failing. Only failures are worth retrying on another node.
    public var isAnswer: Bool {
        switch code {
        case .notFound, .idMismatch, .tooLarge, .badRecord, .staleRecord, .casFailed, .corruptBlock, .forbidden, .frameTooLarge,
            .malformedFrame, .unknownMessageType, .malformedMessage, .inboxFull, .badInboxEntry, .inboxEntryRemoved, .badLease, .noSpace, .tooManyRecords:
            true
        case .storageFailure, .unexpectedResponse, .connectionFailed, .connectionClosed, .handshakeFailed, .serverKeyChanged,
            .channelTampered, .timedOut, .notInRing, .busy, .internalError:
            false
        }
    }
}
