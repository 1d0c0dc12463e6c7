/// The metrics endpoint could not serve (most often: its address is taken or not this host's).
public struct MetricsEndpointError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        case serveFailed
    }

    public let code: Code
    public let description: String

    /// The endpoint on `address` stopped with `underlying`.
    public static func serveFailed(_ address: String, _ underlying: any Error) -> MetricsEndpointError {
        MetricsEndpointError(code: .serveFailed, description:
            "cannot serve metrics on \(address) (\(underlying)): pick another -metricsAddr port, or stop what listens there")
    }
}
