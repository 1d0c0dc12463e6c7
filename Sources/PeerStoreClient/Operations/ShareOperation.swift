import Foundation
import PeerStoreBackup

/// `share`: one file of the latest snapshot, to one user's inbox, and its token printed for other channels.
struct ShareOperation: ClientOperation {
    static let name = "share"
    static let help = "share one file with a user: -filename PATH -shareWith USERID|NAME [-message TEXT] [-follow]"

    func run(_ context: OperationContext) async throws -> Int32 {
        let (session, flags, out) = (context.session, context.flags, context.output)
        guard let filename = flags.filename else { throw BackupError(.usage, "share needs -filename PATH (the file as it was backed up)") }
        let recipient = try Self.recipient(flags.sharing, session.home)
        let (identity, config) = (try session.identity(), try session.config())
        let outcome = try await session.withRing(config, identity) { ring in
            try await FileSharer(ring: ring, identity: identity, home: session.home, logger: session.logger)
                .share(filename, device: config.device, with: recipient.key, message: flags.sharing.message ?? "", follow: flags.sharing.follow)
        }
        if flags.json {
            out.printJSON(ShareJSON(outcome, recipient: recipient.shown))
            return 0
        }
        let g = outcome.grant
        out.say("shared \(outcome.path) (\(Format.bytes(g.size))) with \(recipient.shown): it is in their inbox"
            + (flags.sharing.follow ? "; later backups that change it share the new version too, until `-operation revoke -filename \(outcome.path)`" : ""))
        if outcome.changedSinceBackup {
            out.note("note: \(outcome.path) changed since the last backup; what is shared is the backed-up version (back up, then share again for the new one)")
        }
        out.say("the same share as a token, for e-mail or chat (only \(recipient.shown) can open it):")
        print(outcome.token)
        return 0
    }

    /// -shareWith (a user id or a contact's name) or -shareWithKeyFile (a file holding a user id).
    static func recipient(_ flags: SharingFlags, _ home: ClientHome) throws -> (key: [UInt8], shown: String) {
        let contacts = try Contacts.load(from: home)
        if let text = flags.shareWith {
            let key = try contacts.resolve(text)
            return (key, contacts.name(of: key) ?? UserID.encode(publicKey: key))
        }
        guard let file = flags.shareWithKeyFile else {
            throw BackupError(.usage, "say whom to share with: -shareWith USERID|NAME (or -shareWithKeyFile FILE)")
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw BackupError(.usage, "cannot read -shareWithKeyFile \(file)")
        }
        let key = try contacts.resolve(String(decoding: data, as: UTF8.self))
        return (key, contacts.name(of: key) ?? UserID.encode(publicKey: key))
    }
}
