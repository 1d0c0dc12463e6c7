import Foundation

/// The people this user shares with: names for user ids, in `contacts` in the client home (0600, written through
/// `ClientHome.writeSecretFile`). Format, version 1: the line `peerstore-contacts 1`, then one `NAME USERID` line per
/// contact, sorted by name. A name is 1 to 64 characters without whitespace and is not itself a user id.
public struct Contacts: Sendable, Equatable {
    static let header = "peerstore-contacts 1"
    public static let maxNameLength = 64

    /// Name -> user id (as text, checksum checked).
    public private(set) var byName: [String: String] = [:] {
        didSet { nameByKey = Self.index(byName) }
    }
    /// User key -> the first of its names (in name order), for `name(of:)`.
    private var nameByKey: [[UInt8]: String] = [:]

    public init(byName: [String: String] = [:]) {
        self.byName = byName
        nameByKey = Self.index(byName)
    }

    private static func index(_ byName: [String: String]) -> [[UInt8]: String] {
        var out: [[UInt8]: String] = [:]
        for name in byName.keys.sorted() {
            if let key = UserID.decode(byName[name]!), out[key] == nil { out[key] = name }
        }
        return out
    }

    public static func path(in home: ClientHome) -> String { home.path + "/contacts" }

    public static func load(from home: ClientHome) throws -> Contacts {
        let path = path(in: home)
        guard let data = FileManager.default.contents(atPath: path) else { return Contacts() }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    public func save(in home: ClientHome) throws {
        try home.writeSecretFile(Self.path(in: home), Array(rendered().utf8))
    }

    /// Adds or replaces `name`; refuses a bad name or a mistyped id.
    public mutating func add(name: String, userID: String) throws {
        try Self.check(name: name)
        guard UserID.decode(userID) != nil else { throw Self.mistyped(userID) }
        byName[name] = userID
    }

    /// The contact's name for a user key, if it has one.
    public func name(of userKey: [UInt8]) -> String? {
        nameByKey[userKey]
    }

    /// The user key `text` names: a user id, or a contact's name. One-line errors for a mistyped id and an unknown name.
    public func resolve(_ text: String) throws -> [UInt8] {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let key = UserID.decode(text) { return key }
        if let id = byName[text], let key = UserID.decode(id) { return key }
        if text.hasPrefix("ps") && text.count >= 40 { throw Self.mistyped(text) }
        throw BackupError(.badUserID, "'\(text)' is neither a user id nor a contact: give the id (`peerstore-client -operation whoami` prints it) or add it with `-operation contacts -add USERID -name NAME`")
    }

    static func mistyped(_ text: String) -> BackupError {
        BackupError(.badUserID, "\(text.prefix(60)) is not a valid user id (mistyped, or its checksum does not match): copy it again from `peerstore-client -operation whoami` of its owner")
    }

    static func check(name: String) throws {
        guard !name.isEmpty, name.count <= maxNameLength, !name.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 }),
            UserID.decode(name) == nil
        else {
            throw BackupError(.usage, "a contact name is 1 to \(maxNameLength) characters without spaces (and not a user id)")
        }
    }

    func rendered() -> String {
        ([Self.header] + byName.keys.sorted().map { "\($0) \(byName[$0]!)" }).joined(separator: "\n") + "\n"
    }

    static func parse(_ text: String, path: String) throws -> Contacts {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.first.map(String.init) == header else {
            throw BackupError(.config, "\(path) is not a contacts file (`\(header)`); fix or delete it")
        }
        lines.removeFirst()
        var contacts = Contacts()
        for (n, line) in lines.enumerated() {
            let parts = line.split(separator: " ")
            guard parts.count == 2, (try? contacts.add(name: String(parts[0]), userID: String(parts[1]))) != nil else {
                throw BackupError(.config, "\(path) line \(n + 2) is not `NAME USERID`; fix or delete that line")
            }
        }
        return contacts
    }
}
