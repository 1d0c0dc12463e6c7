import ChordRing
import NIOCore

/// One entry of a directory's tree: name, kind, metadata and where its content is.
///
/// Encoding: `nameLength u16 | name | kind u8 | mode u32 | mtime i64 + u32 ns | uid u32 | gid u32 | size u64 |
/// content tag u8 | content`, content being nothing (0), inline chunk refs of a small file (1: `count u8 | refs`),
/// a manifest (2: `id | session key`), a subtree (3: `id`), a link target (4: `u16 length | bytes`) or, for another
/// name of a file with several hard links, the path it was first backed up under (5: `count u16 | (u16 length |
/// bytes)*`, components from the backed-up folder, each a safe name; its mode, mtime, owner and size are the file's).
///
/// Names, link targets and hard-link components are bytes as the file system holds them. In a version 2 tree they may
/// be any bytes (a name: not empty, not `.` or `..`, no `/` or NUL); a version 1 tree had them UTF-8, and its decoder
/// still requires that.
public struct TreeEntry: Equatable, Sendable {
    public static let maxNameLength = 4096
    public static let maxLinkLength = 4096
    public static let maxInlineChunks = 4
    /// The most components a hard link's path may have.
    public static let maxLinkComponents = 1024

    public enum Kind: UInt8, Sendable {
        case file = 1
        case directory = 2
        case symlink = 3
    }

    public enum Content: Equatable, Sendable {
        case none
        /// A small file's chunk refs, kept in the tree so it needs no manifest block.
        case inline([ChunkRef])
        case manifest(id: Identifier, sessionKey: [UInt8])
        case subtree(Identifier)
        case linkTarget(LocalPath)
        /// Another name of a file with several hard links: the path (components from the backed-up folder) of the
        /// name it was first backed up under, whose entry holds the content.
        case hardLink([FileName])
    }

    public var name: FileName
    public var kind: Kind
    public var mode: UInt32
    public var mtime: Timestamp
    public var uid: UInt32
    public var gid: UInt32
    public var size: UInt64
    public var content: Content

    public init(name: FileName, kind: Kind, mode: UInt32, mtime: Timestamp, uid: UInt32 = 0, gid: UInt32 = 0, size: UInt64, content: Content) {
        self.name = name
        self.kind = kind
        self.mode = mode
        self.mtime = mtime
        self.uid = uid
        self.gid = gid
        self.size = size
        self.content = content
    }

    func encode(into out: inout ByteBuffer) {
        out.writeShortBytes(name.bytes)
        out.writeInteger(kind.rawValue)
        out.writeInteger(mode)
        out.writeInteger(mtime.seconds)
        out.writeInteger(mtime.nanoseconds)
        out.writeInteger(uid)
        out.writeInteger(gid)
        out.writeInteger(size)
        content.encode(into: &out)
    }

    /// Whether its name, link target and hard-link path are valid UTF-8: what a version 1 tree can hold.
    var isUTF8: Bool {
        guard name.string != nil else { return false }
        switch content {
        case .linkTarget(let target): return target.string != nil
        case .hardLink(let path): return path.allSatisfy { $0.string != nil }
        default: return true
        }
    }

    /// Decodes one entry of a tree of format `version` (1: names, targets and paths must be UTF-8; 2: any bytes).
    static func decode(from p: inout ByteBuffer, version: UInt8) throws -> TreeEntry {
        let what = "tree entry"
        func bytes(max: Int) throws -> [UInt8] {
            version == 1 ? Array(try p.readShortString(max: max, what: what).utf8) : try p.readShortBytes(max: max, what: what)
        }
        let name = FileName(bytes: try bytes(max: maxNameLength))
        guard name.isSafe else { throw BackupError.badFormat(what, "unsafe name") }
        guard let rawKind = p.readInteger(as: UInt8.self), let kind = Kind(rawValue: rawKind),
            let mode = p.readInteger(as: UInt32.self), let sec = p.readInteger(as: Int64.self),
            let nsec = p.readInteger(as: UInt32.self), nsec < 1_000_000_000,
            let uid = p.readInteger(as: UInt32.self), let gid = p.readInteger(as: UInt32.self),
            let size = p.readInteger(as: UInt64.self), let tag = p.readInteger(as: UInt8.self)
        else { throw BackupError.badFormat(what, "truncated") }
        let content: Content
        switch tag {
        case 0:
            content = .none
        case 1:
            guard let count = p.readInteger(as: UInt8.self), Int(count) <= maxInlineChunks else {
                throw BackupError.badFormat(what, "bad inline chunk count")
            }
            content = .inline(try (0..<count).map { _ in try ChunkRef.decode(from: &p, maxLength: 8 << 20) })
        case 2:
            guard let id = p.readBytes(length: 32), let key = p.readBytes(length: 32) else {
                throw BackupError.badFormat(what, "truncated manifest reference")
            }
            content = .manifest(id: Identifier(bytes: id)!, sessionKey: key)
        case 3:
            guard let id = p.readBytes(length: 32) else { throw BackupError.badFormat(what, "truncated subtree id") }
            content = .subtree(Identifier(bytes: id)!)
        case 4:
            content = .linkTarget(LocalPath(bytes: try bytes(max: maxLinkLength)))
        case 5:
            guard let count = p.readInteger(as: UInt16.self), count >= 1, Int(count) <= maxLinkComponents else {
                throw BackupError.badFormat(what, "bad hard link path length")
            }
            let path = try (0..<count).map { _ in FileName(bytes: try bytes(max: maxNameLength)) }
            guard path.allSatisfy(\.isSafe) else { throw BackupError.badFormat(what, "unsafe hard link path") }
            content = .hardLink(path)
        default:
            throw BackupError.badFormat(what, "unknown content tag \(tag)")
        }
        let entry = TreeEntry(name: name, kind: kind, mode: mode, mtime: Timestamp(seconds: sec, nanoseconds: nsec),
                              uid: uid, gid: gid, size: size, content: content)
        guard entry.contentMatchesKind else { throw BackupError.badFormat(what, "content does not fit the entry's kind") }
        return entry
    }

    var contentMatchesKind: Bool {
        switch (kind, content) {
        case (.file, .none), (.file, .inline), (.file, .manifest), (.file, .hardLink), (.directory, .subtree),
            (.symlink, .linkTarget):
            true
        default: false
        }
    }

    /// True for another name of a hard-linked file.
    var isHardLink: Bool {
        if case .hardLink = content { true } else { false }
    }
}

extension TreeEntry.Content {
    /// `tag u8` then the tag's fields: 0 nothing, 1 inline refs (`count u8 | refs`), 2 manifest (`id 32 | session key 32`),
    /// 3 subtree (`id 32`), 4 link target (short bytes), 5 hard link (`count u16 | short bytes*`). The file cache
    /// writes file contents the same way (tags 0-2 only: a hard link is never cached).
    func encode(into out: inout ByteBuffer) {
        switch self {
        case .none:
            out.writeInteger(UInt8(0))
        case .inline(let refs):
            out.writeInteger(UInt8(1))
            out.writeInteger(UInt8(refs.count))
            for r in refs { r.encode(into: &out) }
        case .manifest(let id, let key):
            out.writeInteger(UInt8(2))
            out.writeBytes(id.bytes)
            out.writeBytes(key)
        case .subtree(let id):
            out.writeInteger(UInt8(3))
            out.writeBytes(id.bytes)
        case .linkTarget(let target):
            out.writeInteger(UInt8(4))
            out.writeShortBytes(target.bytes)
        case .hardLink(let path):
            out.writeInteger(UInt8(5))
            out.writeInteger(UInt16(path.count))
            for component in path { out.writeShortBytes(component.bytes) }
        }
    }
}
