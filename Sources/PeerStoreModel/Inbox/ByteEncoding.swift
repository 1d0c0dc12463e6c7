/// Big-endian integer bytes for the signed parts of the inbox formats.
enum ByteEncoding {
    static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }
}
