import NIOExtras

/// A message with the request id that pairs a response with its request.
public struct Envelope: Equatable, Sendable, NIORequestIdentifiable {
    public var requestID: UInt64
    public var message: WireMessage

    public init(requestID: UInt64, message: WireMessage) {
        self.requestID = requestID
        self.message = message
    }
}
