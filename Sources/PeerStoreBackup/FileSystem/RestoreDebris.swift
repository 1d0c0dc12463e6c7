import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What an interrupted restore leaves behind, found by the names only a restore makes: a whole restore's hidden work
/// folder beside the destination (`.DEST.peerstore-restore-` and 8 hex digits) and a file's temp file beside its
/// final name (`.NAME.peerstore-` and 12 hex digits, see `FileWriter`). The next restore into the same place removes
/// them; nothing else is touched.
enum RestoreDebris {
    static let workFolderMark = ".peerstore-restore-"
    static let tempFileMark = ".peerstore-"

    /// A restore work folder for a destination named `destination` (its last path component).
    static func isWorkFolder(_ name: String, for destination: String) -> Bool {
        let prefix = "." + destination + workFolderMark
        return name.hasPrefix(prefix) && isHex(name.dropFirst(prefix.count), count: 8)
    }

    /// A temp file of a restored file (of `finalName`, if given).
    static func isTempFile(_ name: String, of finalName: String? = nil) -> Bool {
        guard name.hasPrefix("."), let mark = name.range(of: tempFileMark, options: .backwards) else { return false }
        let stem = name[name.index(after: name.startIndex)..<mark.lowerBound]
        guard !stem.isEmpty, finalName.map({ stem == $0 }) ?? true else { return false }
        return isHex(name[mark.upperBound...], count: 12)
    }

    /// Removes the work folders an earlier restore into `destination` left in `parent`; returns how many.
    @discardableResult
    static func removeWorkFolders(of destination: String, in parent: String) -> Int {
        var removed = 0
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [] where isWorkFolder(name, for: destination) {
            let path = parent + "/" + name
            guard let info = try? FileInfo.lstat(path), info.kind == .directory else { continue }
            if (try? FileManager.default.removeItem(atPath: path)) != nil { removed += 1 }
        }
        return removed
    }

    /// Removes the temp files (regular files only) an earlier restore left in `folder` (of `finalName` only, if given);
    /// returns how many.
    @discardableResult
    static func removeTempFiles(in folder: String, of finalName: String? = nil) -> Int {
        var removed = 0
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where isTempFile(name, of: finalName) {
            let path = folder + "/" + name
            guard let info = try? FileInfo.lstat(path), info.kind == .file else { continue }
            if unlink(path) == 0 { removed += 1 }
        }
        return removed
    }

    private static func isHex(_ text: Substring, count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
