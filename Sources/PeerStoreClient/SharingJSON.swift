import PeerStoreBackup
import PeerStoreCrypto

/// The `-json` answer of `share`.
struct ShareJSON: Encodable {
    let path, recipient, shareID, token: String
    let version: UInt32
    let size: UInt64

    init(_ o: FileSharer.Outcome, recipient: String) {
        (path, self.recipient, token) = (o.path, recipient, o.token)
        (shareID, version, size) = (Hex.encode(o.grant.shareID), o.grant.version, o.grant.size)
    }
}

/// One share of the `-json` inbox list.
struct InboxJSON: Encodable {
    let index: Int
    let sender, senderID, name, message, shareID: String
    /// This version as a token (addressed to this user): a copy to keep, that `getfile -share` takes.
    let token: String
    let size: UInt64
    let time: Int64
    let version: UInt32

    init(_ s: ShareInbox.Received, sender: String) {
        let g = s.grant
        (index, self.sender, senderID, name, message) = (s.index, sender, UserID.encode(publicKey: g.sender), g.name.description, g.message)
        (shareID, size, time, version) = (Hex.encode(g.shareID), g.size, g.time, g.version)
        token = ShareToken.encode(s.sealed)
    }
}
