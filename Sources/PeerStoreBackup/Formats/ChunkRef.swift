import ChordRing
import NIOCore

/// What it takes to fetch and open one chunk: its block id, its chunk key and its plaintext length.
public struct ChunkRef: Equatable, Sendable {
    public static let encodedSize = 32 + 32 + 4

    public var blockID: Identifier
    public var key: [UInt8]
    public var length: Int

    public init(blockID: Identifier, key: [UInt8], length: Int) {
        self.blockID = blockID
        self.key = key
        self.length = length
    }

    func encode(into out: inout ByteBuffer) {
        out.writeBytes(blockID.bytes)
        out.writeBytes(key)
        out.writeInteger(UInt32(length))
    }

    static func decode(from p: inout ByteBuffer, maxLength: Int) throws -> ChunkRef {
        guard let id = p.readBytes(length: 32), let key = p.readBytes(length: 32), let length = p.readInteger(as: UInt32.self),
            Int(length) <= maxLength
        else { throw BackupError.badFormat("chunk reference", "truncated or over-long") }
        return ChunkRef(blockID: Identifier(bytes: id)!, key: key, length: Int(length))
    }
}
