import NIOCore

extension ByteBuffer {
    /// Writes `u16 length | bytes`.
    mutating func writeShortBytes(_ bytes: [UInt8]) {
        writeInteger(UInt16(bytes.count))
        writeBytes(bytes)
    }

    /// Reads `u16 length | bytes`, refusing a length over `max`.
    mutating func readShortBytes(max: Int, what: String) throws -> [UInt8] {
        guard let n = readInteger(as: UInt16.self), Int(n) <= max, let bytes = readBytes(length: Int(n)) else {
            throw BackupError.badFormat(what, "truncated or over-long")
        }
        return bytes
    }

    mutating func readShortString(max: Int, what: String) throws -> String {
        let bytes = try readShortBytes(max: max, what: what)
        guard let s = String(validating: bytes, as: UTF8.self) else { throw BackupError.badFormat(what, "not UTF-8") }
        return s
    }
}
