/// Errors of the shared model (a record that is malformed, badly signed, stale or lost a compare-and-swap), each with a
/// stable code and a message that says what happened.
public struct ModelError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        case badRecord
        case staleRecord
        case casFailed
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
