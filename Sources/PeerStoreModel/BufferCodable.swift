import NIOCore

/// A model value with one byte encoding: written into and read from a `ByteBuffer`, with the whole-bytes forms
/// (`encoded()`, `decode(_:)`, which refuses trailing bytes) derived once for every such format.
public protocol BufferCodable {
    /// What a malformed encoding of this kind is called in errors, and the code they carry.
    static var malformed: (code: ModelError.Code, what: String) { get }
    func encode(into buffer: inout ByteBuffer)
    /// Decodes one value, bounding every length; signatures are not checked here.
    static func decode(from buffer: inout ByteBuffer) throws -> Self
}

extension BufferCodable {
    public func encoded() -> [UInt8] {
        var buffer = ByteBuffer()
        encode(into: &buffer)
        return Array(buffer.readableBytesView)
    }

    /// Decodes exactly one value from `bytes`.
    public static func decode(_ bytes: [UInt8]) throws -> Self {
        var buffer = ByteBuffer(bytes: bytes)
        let value = try decode(from: &buffer)
        guard buffer.readableBytes == 0 else { throw ModelError(malformed.code, "malformed \(malformed.what): trailing bytes") }
        return value
    }
}
