import ArgumentParser

/// The flags of share, inbox, contacts, revoke and `getfile -share`.
struct SharingFlags: ParsableArguments, Sendable {
    @Option(name: [.customLong("shareWith", withSingleDash: true), .customLong("shareWith")], help: "share, revoke: the recipient, a user id or a contact's name.")
    var shareWith: String?

    @Option(name: [.customLong("shareWithKeyFile", withSingleDash: true), .customLong("shareWithKeyFile")], help: "share: a file holding the recipient's user id.")
    var shareWithKeyFile: String?

    @Option(name: [.customLong("message", withSingleDash: true), .customLong("message")], help: "share: a note for the recipient (at most 1 KiB).")
    var message: String?

    @Flag(name: [.customLong("follow", withSingleDash: true), .customLong("follow")], help: "share: keep the recipient on the newest version; every backup that changes the file shares it again, until revoke.")
    var follow = false

    @Option(name: [.customLong("share", withSingleDash: true), .customLong("share")], help: "getfile: restore a share, given as its token or its inbox index.")
    var share: String?

    @Option(name: [.customLong("remove", withSingleDash: true), .customLong("remove")], help: "inbox: remove the share at this index (every version of it).")
    var remove: Int?

    @Option(name: [.customLong("add", withSingleDash: true), .customLong("add")], help: "contacts: a user id to add (with -name).")
    var add: String?

    @Option(name: [.customLong("name", withSingleDash: true), .customLong("name")], help: "contacts: the name for -add.")
    var name: String?
}
