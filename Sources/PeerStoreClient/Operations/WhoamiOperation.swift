/// `whoami`: the user id, alone on stdout (for scripts).
struct WhoamiOperation: ClientOperation {
    static let name = "whoami"
    static let help = "print your user id"

    func run(_ context: OperationContext) async throws -> Int32 {
        print(try context.session.identity().userID)
        return 0
    }
}
