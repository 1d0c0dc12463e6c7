import ArgumentParser
import Foundation
import PeerStoreWire

/// An -allowUsers file: one user id (`ps...`) a line; blank lines and `#` comments are ignored.
enum AllowListFile {
    /// The user keys the file lists.
    static func load(_ path: String) throws -> Set<[UInt8]> {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read -allowUsers file \(path)")
        }
        var users = Set<[UInt8]>()
        for (n, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)?
                .trimmingCharacters(in: .whitespaces) ?? ""
            if line.isEmpty { continue }
            guard let key = PublicKeyText.decode(line, prefix: "ps") else {
                throw ValidationError("\(path) line \(n + 1): '\(line)' is not a user id (see `peerstore-client -operation whoami`)")
            }
            users.insert(key)
        }
        return users
    }
}
