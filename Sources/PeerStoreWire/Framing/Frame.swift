import NIOCore

/// One frame of wire v1:
/// ```
/// length u32 BE   bytes that follow (type + request id + payload), at most the frame limit
/// type   u8       a pinned `MessageType` tag
/// id     u64 BE   request id; a response carries the id of its request
/// payload
/// ```
public struct Frame: Equatable, Sendable {
    public static let headerSize = 4 + 1 + 8
    /// Default frame limit: an 8 MiB block plus room for its id and framing.
    public static let defaultMaxSize = (8 << 20) + 1024

    public var type: UInt8
    public var requestID: UInt64
    public var payload: ByteBuffer

    public init(type: UInt8, requestID: UInt64, payload: ByteBuffer) {
        self.type = type
        self.requestID = requestID
        self.payload = payload
    }
}
