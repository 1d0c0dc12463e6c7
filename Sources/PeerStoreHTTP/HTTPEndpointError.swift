/// An HTTP endpoint (metrics, status page) could not serve (most often: its address is taken or not this host's).
public struct HTTPEndpointError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        case serveFailed
    }

    public let code: Code
    public let description: String

    /// The endpoint serving `what` on `address`, set by `flag`, stopped with `underlying`.
    public static func serveFailed(_ what: String, on address: String, flag: String, _ underlying: any Error) -> HTTPEndpointError {
        HTTPEndpointError(code: .serveFailed, description:
            "cannot serve \(what) on \(address) (\(underlying)): pick another \(flag) port, or stop what listens there")
    }
}
