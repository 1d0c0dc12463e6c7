import Foundation

/// Where the passphrase of `export-identity` and `import-identity` comes from: `-passphraseFile` (its first line),
/// else `$PEERSTORE_PASSPHRASE` (both for scripts), else the terminal (without echo; twice for a new one). The
/// passphrase is never logged or printed.
public struct PassphraseSource: Sendable {
    public static let environmentVariable = "PEERSTORE_PASSPHRASE"
    static let maxFileLength = 4096

    public var file: String?
    public var environment: [String: String]
    /// Asks with the prompt on the terminal without echo; nil when there is no terminal.
    public var terminal: @Sendable (String) throws -> String?

    public init(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                terminal: @escaping @Sendable (String) throws -> String?) {
        self.file = file
        self.environment = environment
        self.terminal = terminal
    }

    /// The passphrase; with `confirm` (a new one), asked twice on a terminal and refused if the two differ.
    public func obtain(confirm: Bool) throws -> String {
        if let file {
            guard let data = SmallFile.contents(of: LocalPath(file), max: Self.maxFileLength) else {
                throw BackupError(.usage, "cannot read the passphrase from -passphraseFile \(file) (missing, unreadable or over 4 KiB)")
            }
            return try nonEmpty(Self.firstLine(String(decoding: data, as: UTF8.self)), from: "-passphraseFile \(file)")
        }
        if let value = environment[Self.environmentVariable] {
            return try nonEmpty(value, from: "$\(Self.environmentVariable)")
        }
        guard let first = try terminal("Passphrase: ") else {
            throw BackupError(.usage, "no passphrase: give -passphraseFile FILE or set \(Self.environmentVariable) (there is no terminal to ask on)")
        }
        let passphrase = try nonEmpty(first, from: "the terminal")
        if confirm, try terminal("The same passphrase again: ") != passphrase {
            throw BackupError(.usage, "the two passphrases differ: nothing was written; try again")
        }
        return passphrase
    }

    /// The text up to its first line break (`\n`, `\r\n` or `\r`).
    static func firstLine(_ text: String) -> String {
        text.split(maxSplits: 1, omittingEmptySubsequences: false, whereSeparator: \.isNewline).first.map(String.init) ?? ""
    }

    private func nonEmpty(_ passphrase: String, from source: String) throws -> String {
        guard !passphrase.isEmpty else { throw BackupError(.usage, "the passphrase from \(source) is empty") }
        return passphrase
    }
}
