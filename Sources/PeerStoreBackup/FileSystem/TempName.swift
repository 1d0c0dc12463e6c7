import PeerStoreCrypto

/// The hidden name a file (or a synced symlink) is made under before it is renamed into place: `.NAME` + `mark` + 12
/// hex digits, beside the final name (`FileWriter`, `SyncApplier`). `RestoreDebris` removes those an interrupted
/// restore left; a sync's scan leaves them out (`excludePattern`). Names are bytes, as the file system has them.
enum TempName {
    static let mark = ".peerstore-"
    static let hexDigits = 12
    /// The exclude glob that matches every temp name.
    static let excludePattern = ".*" + mark + String(repeating: "?", count: hexDigits)

    /// A fresh temp path beside `finalPath`.
    static func path(for finalPath: LocalPath) -> LocalPath {
        let (dir, name) = finalPath.split
        return LocalPath(bytes: dir + [UInt8(ascii: ".")] + name + Array((mark + Hex.encode(SecureRandom.bytes(hexDigits / 2))).utf8))
    }

    /// Whether `name` is a temp name (of `finalName`, if given).
    static func matches(_ name: FileName, of finalName: FileName? = nil) -> Bool {
        let bytes = name.bytes, mark = Array(Self.mark.utf8)
        guard bytes.first == UInt8(ascii: "."), bytes.count >= 1 + mark.count + hexDigits else { return false }
        let markStart = bytes.count - hexDigits - mark.count
        guard bytes[markStart..<(markStart + mark.count)].elementsEqual(mark) else { return false }
        let stem = bytes[1..<markStart]
        guard !stem.isEmpty, finalName.map({ stem.elementsEqual($0.bytes) }) ?? true else { return false }
        return bytes[(markStart + mark.count)...].allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
