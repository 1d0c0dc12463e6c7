import NIOCore
import PeerStoreWire

/// `WireMessageCodec.decode` with byte 0 as the message type and the rest as the payload; what decodes must encode
/// and decode to the same message.
enum WireTarget {
    static func run(_ data: [UInt8]) {
        guard let type = data.first else { return }
        guard let message = try? WireMessageCodec.decode(type: type, payload: ByteBuffer(bytes: data.dropFirst())) else { return }
        let again = try? WireMessageCodec.decode(type: message.type.rawValue, payload: WireMessageCodec.encode(message))
        require(again == message, "wire type \(type): the re-encoded message decodes differently")
    }
}
