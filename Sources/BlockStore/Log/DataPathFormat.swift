import Foundation

/// The format of a data path as a whole, in its `FORMAT` file (`peerstore data path format N`): what a build must read
/// to open it. A build refuses a data path whose format is newer than it reads, where without the mark it would take
/// entries it does not know for damaged ones and truncate them away. A data path without the file (new, or written
/// before builds marked it) gets the current format.
///
/// Format 1: segments of PSE1, PSE2 and PSE3 entries (docs/formats.md). Builds before the mark ignore the file, so it
/// protects only against downgrades to this build or later.
public struct DataPathFormat: Equatable, Sendable {
    public let version: Int

    /// The newest format this build reads and writes.
    public static let current = DataPathFormat(version: 1)
    static let fileName = "FORMAT"
    static let prefix = "peerstore data path format "

    public init(version: Int) {
        self.version = version
    }

    /// The file's text.
    var text: String { Self.prefix + "\(version)\n" }

    /// The format the text names; nil when it is not a FORMAT file's.
    init?(text: String) {
        guard text.hasPrefix(Self.prefix), let version = Int(text.dropFirst(Self.prefix.count).trimmingCharacters(in: .whitespacesAndNewlines)),
            version > 0
        else { return nil }
        self.version = version
    }

    /// Checks `directory`'s mark against this build, writing the current one (durably, by rename) where there is none.
    /// Throws `newerFormat` for a data path a newer build wrote, `io` for a mark that cannot be read or written.
    static func check(directory: String) throws {
        let path = directory + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            guard !FileManager.default.fileExists(atPath: path) else {
                throw BlockStoreError(.io, "cannot read \(path): check its permissions")
            }
            try write(current, to: path, in: directory)
            return
        }
        guard let format = DataPathFormat(text: String(decoding: data, as: UTF8.self)) else {
            throw BlockStoreError(
                .io, "\(path) is not a data path format mark (it should read \"\(current.text.dropLast())\"); restore it or move it away and start again")
        }
        guard format.version <= current.version else {
            throw BlockStoreError(
                .newerFormat,
                "data path \(directory) was written by a newer peerstore-server (data path format \(format.version); this build reads up to \(current.version)): run that build or a newer one, which still reads it")
        }
    }

    private static func write(_ format: DataPathFormat, to path: String, in directory: String) throws {
        let temp = path + ".tmp"
        let bytes = Array(format.text.utf8)
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw BlockStoreError.io("create \(temp)", errno) }
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        // The cause is taken before close, which may change errno; a short write has none of its own.
        var failure: Int32 = 0
        if written != bytes.count {
            failure = written < 0 ? errno : EIO
        } else if fsync(fd) != 0 {
            failure = errno
        }
        close(fd)
        guard failure == 0 else {
            unlink(temp)
            throw BlockStoreError.io("write \(temp)", failure)
        }
        guard rename(temp, path) == 0 else {
            let failure = errno
            unlink(temp)
            throw BlockStoreError.io("rename \(temp)", failure)
        }
        try syncDirectory(directory)
    }
}
