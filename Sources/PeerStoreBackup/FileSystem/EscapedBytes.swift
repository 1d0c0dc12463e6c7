/// How names and paths that may not be UTF-8 are printed: valid UTF-8 as it is, every other byte and every control
/// character (a newline in a name must not start a line of its own) as `\xNN`, and a backslash as `\\`, so the
/// escaped form reads back to the same bytes.
public enum EscapedBytes {
    public static func display(_ bytes: [UInt8]) -> String {
        if !bytes.contains(where: { $0 < 0x20 || $0 == 0x7f || $0 == 0x5c }), let s = String(validating: bytes, as: UTF8.self) {
            return s
        }
        var out = ""
        var i = 0
        while i < bytes.count {
            let length = sequenceLength(bytes, at: i)
            if length == 0 || (length == 1 && (bytes[i] < 0x20 || bytes[i] == 0x7f)) {
                out += "\\x" + hex(bytes[i])
                i += 1
            } else {
                let s = String(decoding: bytes[i..<(i + length)], as: UTF8.self)
                out += s == "\\" ? "\\\\" : s
                i += length
            }
        }
        return out
    }

    /// The bytes an escaped string stands for (`\xNN` and `\\`); nil when it has no escape in it.
    public static func parse(_ text: String) -> [UInt8]? {
        guard text.contains("\\") else { return nil }
        let utf8 = Array(text.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < utf8.count {
            if utf8[i] == 0x5c, i + 1 < utf8.count, utf8[i + 1] == 0x5c {
                out.append(0x5c)
                i += 2
            } else if utf8[i] == 0x5c, i + 3 < utf8.count, utf8[i + 1] == 0x78,
                let byte = UInt8(String(decoding: utf8[(i + 2)...(i + 3)], as: UTF8.self), radix: 16)
            {
                out.append(byte)
                i += 4
            } else {
                out.append(utf8[i])
                i += 1
            }
        }
        return out
    }

    /// The length of the valid UTF-8 sequence starting at `i`, or 0 if none starts there.
    private static func sequenceLength(_ b: [UInt8], at i: Int) -> Int {
        let first = b[i]
        let length: Int
        switch first {
        case 0x00...0x7f: return 1
        case 0xc2...0xdf: length = 2
        case 0xe0...0xef: length = 3
        case 0xf0...0xf4: length = 4
        default: return 0
        }
        guard i + length <= b.count else { return 0 }
        return String(validating: b[i..<(i + length)], as: UTF8.self) == nil ? 0 : length
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }
}
