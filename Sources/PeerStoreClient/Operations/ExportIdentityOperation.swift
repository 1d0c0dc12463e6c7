import PeerStoreBackup

/// `export-identity`: the identity sealed under a passphrase into -filedest, for import-identity on another machine.
struct ExportIdentityOperation: ClientOperation {
    static let name = "export-identity"
    static let help = "write your identity, sealed under a passphrase, to -filedest (for import-identity elsewhere)"

    func run(_ context: OperationContext) async throws -> Int32 {
        let (session, flags) = (context.session, context.flags)
        guard let path = flags.filedest else {
            throw BackupError(.usage, "export-identity needs -filedest FILE: where to write the sealed identity")
        }
        let transfer = IdentityTransfer(home: session.home)
        _ = try session.identity()
        let target = ClientSession.absolute(path)
        try transfer.checkDestination(target, force: flags.force)
        let passphrase = try flags.passphrase.obtain(confirm: true)
        let identity = try transfer.export(to: target, passphrase: passphrase, force: flags.force)
        context.output.say("wrote your identity (user id \(identity.userID)), sealed under your passphrase, to \(path)")
        context.output.say("on the other machine: peerstore-client -operation import-identity -filename FILE")
        return 0
    }
}
