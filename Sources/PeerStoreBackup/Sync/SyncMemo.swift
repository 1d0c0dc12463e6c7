import ChordRing
import Foundation
import PeerStoreCrypto

/// What the last clean sync round of a folder on this device ended with: the seq of its own head, the root tree of the
/// folder as it left it, and the seq of every other device's head it merged. A round whose scan gives the same root
/// tree while the ring serves the same seqs has nothing to merge (a merge of the same inputs changes nothing), so it
/// neither reads nor decodes the states: a no-change round costs about a no-change backup.
///
/// Kept in the client home as `sync-<folder>.memo` (0600), version 1: the line `peerstore-sync-memo 1`, then
/// `own SEQ`, `root HEX`, and one `remote DEVICEHEX SEQ` line per other device. Losing it only costs one full round.
public struct SyncMemo: Equatable, Sendable {
    static let header = "peerstore-sync-memo 1"

    public var own: UInt64
    public var root: Identifier
    public var remotes: [DeviceID: UInt64]

    public init(own: UInt64, root: Identifier, remotes: [DeviceID: UInt64]) {
        (self.own, self.root, self.remotes) = (own, root, remotes)
    }

    public static func path(home: ClientHome, folder: String) -> String {
        home.path + "/sync-" + ClientHome.fileName(device: folder) + ".memo"
    }

    /// The memo of `folder`, or nil if there is none or it cannot be read (a full round then writes a new one).
    public static func load(home: ClientHome, folder: String) -> SyncMemo? {
        guard let data = FileManager.default.contents(atPath: path(home: home, folder: folder)) else { return nil }
        return parse(String(decoding: data, as: UTF8.self))
    }

    public func save(home: ClientHome, folder: String) throws {
        try home.writeSecretFile(Self.path(home: home, folder: folder), Array(rendered().utf8))
    }

    /// Removes the memo, so the next round is a full one.
    public static func forget(home: ClientHome, folder: String) {
        try? FileManager.default.removeItem(atPath: path(home: home, folder: folder))
    }

    func rendered() -> String {
        var lines = [Self.header, "own \(own)", "root \(root.hex)"]
        for (device, seq) in remotes.sorted(by: { $0.key.bytes.lexicographicallyPrecedes($1.key.bytes) }) {
            lines.append("remote \(Hex.encode(device.bytes)) \(seq)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func parse(_ text: String) -> SyncMemo? {
        let lines = text.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        guard lines.count >= 3, lines[0] == header.split(separator: " ").map(String.init),
            lines[1].count == 2, lines[1][0] == "own", let own = UInt64(lines[1][1]),
            lines[2].count == 2, lines[2][0] == "root", let rootBytes = Hex.decode(lines[2][1]),
            let root = Identifier(bytes: rootBytes)
        else { return nil }
        var remotes: [DeviceID: UInt64] = [:]
        for line in lines.dropFirst(3) {
            guard line.count == 3, line[0] == "remote", let bytes = Hex.decode(line[1]), let device = DeviceID(bytes: bytes),
                let seq = UInt64(line[2])
            else { return nil }
            remotes[device] = seq
        }
        return SyncMemo(own: own, root: root, remotes: remotes)
    }
}
