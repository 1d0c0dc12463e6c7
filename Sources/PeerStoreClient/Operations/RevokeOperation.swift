import PeerStoreBackup

/// `revoke`: ends live shares of a file, so later versions are no longer shared. Versions already shared stay readable.
struct RevokeOperation: ClientOperation {
    static let name = "revoke"
    static let help = "end the live shares of -filename PATH [-shareWith USERID|NAME]; versions already shared stay readable"

    func run(_ context: OperationContext) async throws -> Int32 {
        let (session, flags, out) = (context.session, context.flags, context.output)
        guard let filename = flags.filename else { throw BackupError(.usage, "revoke needs -filename PATH (the shared file)") }
        let config = try session.config()
        let contacts = try Contacts.load(from: session.home)
        let recipient = try flags.sharing.shareWith.map { UserID.encode(publicKey: try contacts.resolve($0)) }
        var live = try LiveShares.load(from: session.home)
        let ended = live.revoke(filename, localPath: config.localPath, device: config.device, recipient: recipient)
        guard !ended.isEmpty else {
            throw BackupError(.usage, "no live share of \(filename)\(recipient.map { " with \($0)" } ?? "") on device '\(config.device)': `-operation share ... -follow` makes one")
        }
        try live.save(in: session.home)
        for share in ended {
            let shown = UserID.decode(share.recipient).flatMap(contacts.name(of:)) ?? share.recipient
            out.say("ended the live share of \(share.path) with \(shown) after version \(share.version); the versions already shared cannot be taken back")
        }
        return 0
    }
}
