import ChordRing
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import PeerStoreCrypto

/// The highest head seq this client has seen for each of its devices (and for its device list, `DeviceRegistry`), kept in `heads` in the home (0600, written
/// through `ClientHome.writeSecretFile`), so a node cannot serve an older signed head (a rollback) unnoticed.
///
/// Format, version 1: the line `peerstore-heads 1`, then one `HEADKEY SEQ` line per device (the head record's key in
/// hex, so the file names no device). Losing the file only loses that protection, never a backup.
public struct HeadMemory: Sendable {
    public let home: ClientHome
    static let header = "peerstore-heads 1"

    public init(home: ClientHome) {
        self.home = home
    }

    public var path: String { home.path + "/heads" }

    /// The highest seq seen for the head `key`; 0 if none.
    public func lastSeen(_ key: Identifier) throws -> UInt64 {
        try load()[key] ?? 0
    }

    /// Remembers `seq` for `key` if it is higher than what the file holds (read again first: another run may have
    /// written meanwhile).
    public func remember(_ seq: UInt64, for key: Identifier) throws {
        try withLock {
            var seqs = try load()
            guard seq > seqs[key] ?? 0 else { return }
            seqs[key] = seq
            try home.writeSecretFile(path, Array(Self.render(seqs).utf8))
        }
    }

    /// Runs `body` holding an exclusive flock on `heads.lock`, so two updates (two runs, or two tasks of one run) never
    /// lose each other's seq.
    func withLock<T>(_ body: () throws -> T) throws -> T {
        try HomeFileLock.withLock(path, body)
    }

    func load() throws -> [Identifier: UInt64] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        return try Self.parse(String(decoding: data, as: UTF8.self), path: path)
    }

    static func parse(_ text: String, path: String) throws -> [Identifier: UInt64] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.first.map(String.init) == header else {
            throw BackupError(.config, "\(path) is not a file of head seqs (`\(header)`); delete it (it only guards against a stale ring)")
        }
        lines.removeFirst()
        var out: [Identifier: UInt64] = [:]
        for (n, line) in lines.enumerated() {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let bytes = Hex.decode(String(parts[0])), let key = Identifier(bytes: bytes),
                let seq = UInt64(parts[1])
            else {
                throw BackupError(.config, "\(path) line \(n + 2) is not `HEADKEY SEQ`; delete the file (it only guards against a stale ring)")
            }
            out[key] = max(seq, out[key] ?? 0)
        }
        return out
    }

    static func render(_ seqs: [Identifier: UInt64]) -> String {
        ([header] + seqs.keys.sorted().map { "\(Hex.encode($0.bytes)) \(seqs[$0]!)" }).joined(separator: "\n") + "\n"
    }
}
