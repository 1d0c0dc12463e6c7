import ChordRing
import NIOCore

/// The id list of a lease grant or release: `count u16 | ids 32*count`, 1 to `maxIDs` ids (one batch of have-blocks).
enum LeaseIDs {
    /// The most ids one grant or release names.
    static let maxIDs = 16_384

    static func encode(_ ids: [Identifier], into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt16(ids.count))
        for id in ids { buffer.writeBytes(id.bytes) }
    }

    /// Reads the list, bounding the count before reading ids; `fail` names what is wrong.
    static func decode(from buffer: inout ByteBuffer, fail: (String) -> ModelError) throws -> [Identifier] {
        guard let count = buffer.readInteger(as: UInt16.self), count >= 1, Int(count) <= maxIDs else {
            throw fail("id count not within 1...\(maxIDs)")
        }
        guard buffer.readableBytes >= Int(count) * 32 else { throw fail("truncated ids") }
        var ids: [Identifier] = []
        ids.reserveCapacity(Int(count))
        for _ in 0..<count { ids.append(Identifier(bytes: buffer.readBytes(length: 32)!)!) }
        return ids
    }

    /// Whether `ids` is a count the format takes.
    static func isValidCount(_ ids: [Identifier]) -> Bool { !ids.isEmpty && ids.count <= maxIDs }
}
