import Foundation
import NIOCore
import PeerStoreCrypto

/// The shares this user keeps on the newest version of their file (`share -follow`), in `shares.json` in the client
/// home (0600): for each, the device and file, the recipient, the share id and the version last posted, with a digest
/// of that version's content so an unchanged file is not posted again. `revoke` takes a share off the list; a version
/// already posted stays readable by its recipient (it cannot be taken back).
public struct LiveShares: Codable, Equatable, Sendable {
    public static let formatVersion = 1

    public struct Share: Codable, Equatable, Sendable {
        public var device: String
        /// The file's absolute path as backed up (names that are not UTF-8 escaped as `\xNN`).
        public var path: String
        public var recipient: String
        /// The share id, hex.
        public var shareID: String
        public var version: UInt32
        /// Hex of BLAKE2b-128 of the last posted version's content reference (`LiveShares.digest`).
        public var contentDigest: String
        public var message: String
    }

    public var version = Self.formatVersion
    public var shares: [Share] = []

    public init(shares: [Share] = []) {
        self.shares = shares
    }

    public static func path(in home: ClientHome) -> String { home.path + "/shares.json" }

    public static func load(from home: ClientHome) throws -> LiveShares {
        let path = path(in: home)
        guard let data = FileManager.default.contents(atPath: path) else { return LiveShares() }
        let list: LiveShares
        do {
            list = try JSONDecoder().decode(LiveShares.self, from: data)
        } catch {
            throw BackupError(.config, "\(path) is not a list of live shares: \(error.localizedDescription); fix or delete it (deleting ends every live share)")
        }
        guard list.version == formatVersion else {
            throw BackupError(.config, "\(path) has format version \(list.version); this peerstore-client is too old for it")
        }
        return list
    }

    public func save(in home: ClientHome) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try home.writeSecretFile(Self.path(in: home), [UInt8](try encoder.encode(self)))
    }

    /// Adds a share, replacing one of the same file, device and recipient.
    public mutating func add(_ share: Share) {
        shares.removeAll { $0.device == share.device && $0.path == share.path && $0.recipient == share.recipient }
        shares.append(share)
    }

    /// Ends the live shares of `filename` (absolute, or relative to the backed-up folder `localPath`) on `device`,
    /// only those to `recipient` when given; returns what was ended.
    public mutating func revoke(_ filename: String, localPath: String?, device: String, recipient: String?) -> [Share] {
        let root = localPath ?? "/"
        var paths = Set(SnapshotPath.candidates(for: filename, rootPath: root, currentDirectory: FileManager.default.currentDirectoryPath)
            .map { (root == "/" ? "" : root) + "/" + $0.joined(separator: "/") })
        if filename.hasPrefix("/") { paths.insert("/" + SnapshotPath.normalize(filename).joined(separator: "/")) }
        let ended = shares.filter { $0.device == device && paths.contains($0.path) && (recipient == nil || $0.recipient == recipient) }
        shares.removeAll { ended.contains($0) }
        return ended
    }

    /// What tells one version of a file's content from another.
    static func digest(_ content: TreeEntry.Content) -> String {
        var out = ByteBuffer()
        content.encode(into: &out)
        return Hex.encode(Blake2b.hash(Array(out.readableBytesView), outputLength: 16))
    }
}
