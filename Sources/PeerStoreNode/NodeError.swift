/// Errors of a storage node, with a code and a message that says what to do.
public struct NodeError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        case badNodeKey
        case bindFailed
        /// The address to listen on or to advertise cannot be used as given.
        case badAddress
        case io
        /// A flag's value is out of its range.
        case badSetting
        /// The node does not listen yet, so what needs its address cannot run.
        case notListening
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
