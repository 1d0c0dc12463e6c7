import Foundation
import PeerStoreWire

/// The node keys a client has pinned, like ssh's known_hosts: `~/.peerstore/known_nodes`, one `HOST:PORT pn...` a line.
/// A node's key is learned on first contact (the network key still gates who can answer) and must never change after.
public struct KnownNodes: Sendable {
    public let path: String
    public private(set) var keys: [String: [UInt8]] = [:]

    public init(path: String) throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else { return }
        for (n, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated() {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2, let key = PublicKeyText.decode(String(parts[1]), prefix: "pn") else {
                throw BackupError(.config, "\(path) line \(n + 1) is not `HOST:PORT pn...`; fix or delete that line")
            }
            keys[String(parts[0])] = key
        }
    }

    public func key(for address: PeerAddress) -> [UInt8]? { keys[address.hostPort] }

    /// Pins `key` for `address` and rewrites the file (0600, through a temp file and rename).
    public mutating func pin(_ key: [UInt8], for address: PeerAddress, in home: ClientHome) throws {
        keys[address.hostPort] = key
        try save(in: home)
    }

    /// Pins the nodes of a ring the client learned (from an authenticated node's lists) that have no pin yet, so a later
    /// run can enter the ring through them when its usual node is down. Existing pins are never changed.
    public mutating func remember(_ nodes: [(address: PeerAddress, key: [UInt8])], in home: ClientHome) throws {
        var changed = false
        for (address, key) in nodes where keys[address.hostPort] == nil {
            keys[address.hostPort] = key
            changed = true
        }
        if changed { try save(in: home) }
    }

    private func save(in home: ClientHome) throws {
        let text = keys.keys.sorted().map { "\($0) \(PublicKeyText.encode(keys[$0]!, prefix: "pn"))\n" }.joined()
        try home.writeSecretFile(path, Array(text.utf8))
    }
}
