import PeerStoreBackup

/// One `-operation`: its name, a line for the help, and what it does. Each lives in a file of its own.
protocol ClientOperation: Sendable {
    static var name: String { get }
    /// The help text's line for it (after the name).
    static var help: String { get }
    init()
    /// Runs it; returns the exit status.
    func run(_ context: OperationContext) async throws -> Int32
}

/// Every operation, in the order the help lists them.
enum ClientOperations {
    struct Entry: Sendable {
        let name: String
        let help: String
        let make: @Sendable () -> any ClientOperation

        static func of<T: ClientOperation>(_ type: T.Type) -> Entry {
            Entry(name: T.name, help: T.help, make: { T() })
        }
    }

    static let all: [Entry] = [
        .of(InitOperation.self), .of(WhoamiOperation.self), .of(BackupOperation.self), .of(GetfileOperation.self),
        .of(RestoreOperation.self), .of(SnapshotsOperation.self), .of(ForgetOperation.self), .of(PruneOperation.self), .of(LsOperation.self), .of(DiffOperation.self),
        .of(CheckOperation.self), .of(GenkeyOperation.self),
        .of(ShareOperation.self), .of(InboxOperation.self), .of(ContactsOperation.self), .of(RevokeOperation.self),
        .of(DevicesOperation.self), .of(ExportIdentityOperation.self), .of(ImportIdentityOperation.self),
        .of(SyncOperation.self),
    ]

    static func named(_ name: String) throws -> any ClientOperation {
        guard let entry = all.first(where: { $0.name == name }) else {
            throw BackupError(.usage, "unknown -operation '\(name)': use \(all.map(\.name).joined(separator: ", "))")
        }
        return entry.make()
    }

    /// The help text's list of operations.
    static var helpText: String {
        let width = all.map(\.name.count).max()! + 2
        return all.map { "  " + $0.name.padding(toLength: width, withPad: " ", startingAt: 0) + $0.help }.joined(separator: "\n")
    }
}
