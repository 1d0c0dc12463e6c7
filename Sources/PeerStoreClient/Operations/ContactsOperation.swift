import PeerStoreBackup

/// `contacts`: names for user ids; `-add USERID -name NAME` adds one.
struct ContactsOperation: ClientOperation {
    static let name = "contacts"
    static let help = "list your contacts; -add USERID -name NAME adds one (then -shareWith NAME works)"

    func run(_ context: OperationContext) async throws -> Int32 {
        let (home, sharing, out) = (context.session.home, context.flags.sharing, context.output)
        var contacts = try Contacts.load(from: home)
        if let id = sharing.add {
            guard let name = sharing.name else { throw BackupError(.usage, "contacts -add USERID needs -name NAME") }
            _ = try home.ensureInitialised()
            try contacts.add(name: name, userID: id.trimmingCharacters(in: .whitespacesAndNewlines))
            try contacts.save(in: home)
            out.say("added \(name): \(contacts.byName[name]!)")
            return 0
        }
        if context.flags.json {
            out.printJSON(contacts.byName)
        } else if contacts.byName.isEmpty {
            out.say("no contacts yet: add one with -operation contacts -add USERID -name NAME")
        } else {
            for name in contacts.byName.keys.sorted() { print("\(name)  \(contacts.byName[name]!)") }
        }
        return 0
    }
}
