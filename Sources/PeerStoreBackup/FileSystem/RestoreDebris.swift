import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What an interrupted restore leaves behind, found by the names only a restore makes: a whole restore's hidden work
/// folder beside the destination (`.DEST.peerstore-restore-` and 8 hex digits) and a file's temp file beside its
/// final name (`.NAME.peerstore-` and 12 hex digits, see `TempName`). The next restore into the same place removes
/// them; nothing else is touched. Names are bytes, as the file system has them (not necessarily UTF-8).
enum RestoreDebris {
    static let workFolderMark = Array(".peerstore-restore-".utf8)

    /// A restore work folder for a destination named `destination` (its last path component).
    static func isWorkFolder(_ name: FileName, for destination: FileName) -> Bool {
        let prefix = [UInt8(ascii: ".")] + destination.bytes + workFolderMark
        return name.bytes.starts(with: prefix) && isHex(name.bytes.dropFirst(prefix.count), count: 8)
    }

    /// A temp file of a restored file (of `finalName`, if given).
    static func isTempFile(_ name: FileName, of finalName: FileName? = nil) -> Bool {
        TempName.matches(name, of: finalName)
    }

    /// Removes the work folders an earlier restore into `destination` left in `parent`; returns how many.
    @discardableResult
    static func removeWorkFolders(of destination: FileName, in parent: LocalPath) -> Int {
        var removed = 0
        for name in (try? DirectoryReader.list(parent).names) ?? [] where isWorkFolder(name, for: destination) {
            let path = parent.appending(name)
            // The name is the destination's (text from the command line) and the mark: UTF-8 whenever it matched.
            guard let info = try? FileInfo.lstat(path), info.kind == .directory, let text = path.string else { continue }
            if (try? FileManager.default.removeItem(atPath: text)) != nil { removed += 1 }
        }
        return removed
    }

    /// Removes the temp files (regular files only) an earlier restore left in `folder` (of `finalName` only, if given);
    /// returns how many.
    @discardableResult
    static func removeTempFiles(in folder: LocalPath, of finalName: FileName? = nil) -> Int {
        var removed = 0
        for name in (try? DirectoryReader.list(folder).names) ?? [] where isTempFile(name, of: finalName) {
            let path = folder.appending(name)
            guard let info = try? FileInfo.lstat(path), info.kind == .file else { continue }
            if path.withCString({ unlink($0) }) == 0 { removed += 1 }
        }
        return removed
    }

    private static func isHex(_ bytes: ArraySlice<UInt8>, count: Int) -> Bool {
        bytes.count == count && bytes.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
