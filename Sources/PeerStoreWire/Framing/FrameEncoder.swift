import NIOCore

/// Writes `Frame`s as length-prefixed bytes.
public struct FrameEncoder: MessageToByteEncoder, Sendable {
    public typealias OutboundIn = Frame

    public init() {}

    public func encode(data: Frame, out: inout ByteBuffer) throws {
        out.reserveCapacity(minimumWritableBytes: Frame.headerSize + data.payload.readableBytes)
        out.writeInteger(UInt32(9 + data.payload.readableBytes))
        out.writeInteger(data.type)
        out.writeInteger(data.requestID)
        var payload = data.payload
        out.writeBuffer(&payload)
    }
}
