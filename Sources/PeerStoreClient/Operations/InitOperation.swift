import PeerStoreBackup

/// `init`: the identity and config, and the flags given, remembered.
struct InitOperation: ClientOperation {
    static let name = "init"
    static let help = "create your identity and config (~/.peerstore, or -home); backup does it on first use"

    func run(_ context: OperationContext) async throws -> Int32 {
        let session = context.session
        // A key file that cannot be read is refused before anything is created, not remembered.
        if let file = session.options.networkKeyFile { _ = try session.networkKey(ClientConfig(device: "", networkKeyFile: file)) }
        let (identity, created) = try session.home.ensureInitialised(evenInUsedHome: true)
        var config = try session.deviceConfig()
        session.rememberRing(in: &config)
        if let localPath = context.flags.localPath { config.localPath = ClientSession.absolute(localPath) }
        try session.home.save(config)
        let home = session.home
        context.output.say(created
            ? "created a new identity in \(home.path) (keep a copy of \(home.identityPath) somewhere safe)"
            : "identity already exists in \(home.path); left unchanged")
        context.output.say("user id: \(identity.userID)")
        return 0
    }
}
