import ChordRing
import NIOCore
import PeerStoreCrypto
import PeerStoreModel

/// One backup run: when, from which device and folder, its root tree, its parent and its totals.
/// Sealed under the user's snapshot key with a random nonce. Plaintext (version 1):
/// `time ns i64 | device | hostname | root path | root mode u32 | root mtime i64 + u32 ns | root tree 32 |
/// hasParent u8 [parent 32] | files u64 | dirs u64 | bytes u64`.
public struct Snapshot: Equatable, Sendable {
    public var time: Int64
    public var device: String
    public var hostname: String
    public var rootPath: String
    /// The backed-up folder's own mode and mtime (its entries carry their own in the root tree).
    public var rootMode: UInt32
    public var rootMtime: Timestamp
    public var rootTree: Identifier
    public var parent: Identifier?
    public var files: UInt64
    public var directories: UInt64
    public var bytes: UInt64

    public init(time: Int64, device: String, hostname: String, rootPath: String, rootMode: UInt32 = 0o755,
                rootMtime: Timestamp = Timestamp(seconds: 0, nanoseconds: 0), rootTree: Identifier, parent: Identifier?,
                files: UInt64, directories: UInt64, bytes: UInt64) {
        self.time = time
        self.device = device
        self.hostname = hostname
        self.rootPath = rootPath
        self.rootMode = rootMode
        self.rootMtime = rootMtime
        self.rootTree = rootTree
        self.parent = parent
        self.files = files
        self.directories = directories
        self.bytes = bytes
    }

    public func encoded() -> [UInt8] {
        var out = ByteBuffer()
        out.writeInteger(time)
        out.writeShortBytes(Array(device.utf8))
        out.writeShortBytes(Array(hostname.utf8))
        out.writeShortBytes(Array(rootPath.utf8))
        out.writeInteger(rootMode)
        out.writeInteger(rootMtime.seconds)
        out.writeInteger(rootMtime.nanoseconds)
        out.writeBytes(rootTree.bytes)
        if let parent {
            out.writeInteger(UInt8(1))
            out.writeBytes(parent.bytes)
        } else {
            out.writeInteger(UInt8(0))
        }
        out.writeInteger(files)
        out.writeInteger(directories)
        out.writeInteger(bytes)
        return Array(out.readableBytesView)
    }

    public static func decode(_ bytes: [UInt8]) throws -> Snapshot {
        var p = ByteBuffer(bytes: bytes)
        let what = "snapshot"
        guard let time = p.readInteger(as: Int64.self) else { throw BackupError.badFormat(what, "truncated") }
        let device = try p.readShortString(max: 256, what: what)
        let hostname = try p.readShortString(max: 256, what: what)
        let root = try p.readShortString(max: 16384, what: what)
        guard let mode = p.readInteger(as: UInt32.self), let sec = p.readInteger(as: Int64.self),
            let nsec = p.readInteger(as: UInt32.self), nsec < 1_000_000_000
        else { throw BackupError.badFormat(what, "truncated") }
        guard let tree = p.readBytes(length: 32), let hasParent = p.readInteger(as: UInt8.self), hasParent <= 1 else {
            throw BackupError.badFormat(what, "truncated")
        }
        var parent: Identifier?
        if hasParent == 1 {
            guard let id = p.readBytes(length: 32) else { throw BackupError.badFormat(what, "truncated parent") }
            parent = Identifier(bytes: id)
        }
        guard let files = p.readInteger(as: UInt64.self), let dirs = p.readInteger(as: UInt64.self),
            let total = p.readInteger(as: UInt64.self), p.readableBytes == 0
        else { throw BackupError.badFormat(what, "bad totals") }
        return Snapshot(time: time, device: device, hostname: hostname, rootPath: root, rootMode: mode,
                        rootMtime: Timestamp(seconds: sec, nanoseconds: nsec), rootTree: Identifier(bytes: tree)!,
                        parent: parent, files: files, directories: dirs, bytes: total)
    }

    public func seal(keys: KeyRing) throws -> (id: Identifier, bytes: [UInt8]) {
        let bytes = try SealedObject.seal(encoded(), kind: .snapshot, key: keys.snapshot, nonce: SecureRandom.bytes(24))
        return (BlockID.of(bytes), bytes)
    }

    public static func open(_ bytes: [UInt8], keys: KeyRing) throws -> Snapshot {
        try decode(try SealedObject.open(bytes, kind: .snapshot, key: keys.snapshot, what: "snapshot"))
    }
}
