import PeerStoreBackup

/// `import-identity`: an identity export (-filename) into this home, which must have none (or the same).
struct ImportIdentityOperation: ClientOperation {
    static let name = "import-identity"
    static let help = "take the identity export-identity wrote (-filename) into this home"

    func run(_ context: OperationContext) async throws -> Int32 {
        let (session, flags, out) = (context.session, context.flags, context.output)
        guard let path = flags.filename else {
            throw BackupError(.usage, "import-identity needs -filename FILE: the file export-identity wrote")
        }
        let transfer = IdentityTransfer(home: session.home)
        let bytes = try transfer.readExport(path)
        let passphrase = try flags.passphrase.obtain(confirm: false)
        let (identity, outcome) = try transfer.importIdentity(bytes, path: path, passphrase: passphrase, device: session.options.device)
        switch outcome {
        case .imported:
            out.say("imported the identity of user id \(identity.userID) into \(session.home.path) (as device '\(try session.config().device)')")
            out.say("`-operation devices` lists your devices; `-operation restore -device NAME -filedest DIR` restores one's backup")
            if session.options.device == nil { out.say("each machine needs a name of its own: `-device NAME` on the next backup sets it") }
        case .alreadyThere:
            out.say("\(session.home.path) already has this identity (user id \(identity.userID)); nothing changed")
        }
        return 0
    }
}
