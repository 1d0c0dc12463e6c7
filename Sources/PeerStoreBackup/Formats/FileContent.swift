import ChordRing
import NIOCore

extension TreeEntry.Content {
    /// Reads the content of a file after its tag, as the file cache and a share grant hold it (tags 0-2 only), and
    /// checks that a backup could have made it: an empty file has no content, inline chunks add up to the size, a
    /// manifest belongs to a non-empty file.
    static func decodeFile(tag: UInt8, size: UInt64, from p: inout ByteBuffer, what: String) throws -> TreeEntry.Content {
        switch tag {
        case 0:
            guard size == 0 else { throw BackupError.badFormat(what, "a non-empty file without content") }
            return .none
        case 1:
            guard let count = p.readInteger(as: UInt8.self), count >= 1, Int(count) <= TreeEntry.maxInlineChunks else {
                throw BackupError.badFormat(what, "bad inline chunk count")
            }
            let refs = try (0..<count).map { _ in try ChunkRef.decode(from: &p, maxLength: 8 << 20) }
            guard refs.reduce(0, { $0 + UInt64($1.length) }) == size else {
                throw BackupError.badFormat(what, "inline chunks do not add up to the size")
            }
            return .inline(refs)
        case 2:
            guard size > 0, let id = p.readBytes(length: 32), let key = p.readBytes(length: 32) else {
                throw BackupError.badFormat(what, "truncated manifest reference")
            }
            return .manifest(id: Identifier(bytes: id)!, sessionKey: key)
        default:
            throw BackupError.badFormat(what, "unknown content tag \(tag)")
        }
    }

    /// True for what a file's content can be (`decodeFile` reads it back).
    var isFileContent: Bool {
        switch self {
        case .none, .inline, .manifest: true
        default: false
        }
    }
}
