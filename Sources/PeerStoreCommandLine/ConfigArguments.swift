import Foundation
import Yams

/// `-config FILE`: a YAML mapping from flag names to values (`addr: 0.0.0.0:3001`, `replicas: 3`, `expireLeases: true`,
/// `exclude: ["*.tmp", "logs/"]`), turned into the flags it stands for. Every flag is a key; a flag given on the
/// command line wins over the file's key (the file's value is then left out, lists too). A key that is not a flag is
/// refused by the command's own parser, named as coming from the file.
public struct ConfigArguments: Equatable, Sendable {
    /// The flags the file stands for, in key order.
    public var fromFile: [String]
    /// The command line as given (with its `-config FILE`).
    public var given: [String]
    /// The file, when one was named.
    public var path: String?

    /// All of them: the file's first, so the command line's own come last.
    public var all: [String] { fromFile + given }

    /// Finds `-config FILE` (or `--config`, `-config=FILE`) in `arguments` and reads the file.
    public static func expand(_ arguments: [String]) throws -> ConfigArguments {
        guard let path = configPath(arguments) else { return ConfigArguments(fromFile: [], given: arguments, path: nil) }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError("cannot read -config \(path): \((error as NSError).localizedDescription)")
        }
        return ConfigArguments(fromFile: try flags(yaml: text, path: path, given: arguments), given: arguments, path: path)
    }

    /// The flags a YAML mapping stands for, leaving out the keys `given` has. Values are taken as written (YAML 1.2's
    /// core schema, not 1.1's): `addr: 1:30` is the text `1:30`, not the sexagesimal 90, and `device: no` the text `no`.
    /// Only a plain `true` or `false` is a switch; a plain `null`, `~` or nothing leaves the key out; a quoted value
    /// is always text.
    public static func flags(yaml text: String, path: String, given: [String]) throws -> [String] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, .basic)
        } catch {
            throw ConfigError("\(path) is not YAML: \(String(describing: error).split(separator: "\n").first ?? ""); write one `flag: value` a line")
        }
        guard let root else { return [] }
        guard let mapping = root.mapping else {
            throw ConfigError("\(path) is not a mapping of flags to values: write one `flag: value` a line")
        }
        var values: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                throw ConfigError("\(path): a key that is not a flag name: write one `flag: value` a line")
            }
            values[key] = value  // a key given twice is refused by the parser
        }
        var out: [String] = []
        for key in values.keys.sorted() where key != "config" && !names(given).contains(key) {
            let value = values[key]!
            if let list = value.sequence {
                for item in list { out += ["-" + key, try scalar(item, key: key, path: path)] }
                continue
            }
            switch try word(value, key: key, path: path) {
            case .switch(let on): if on { out.append("-" + key) }
            case .absent: break
            case .text(let t): out += ["-" + key, t]
            }
        }
        return out
    }

    enum Word: Equatable { case text(String), `switch`(Bool), absent }

    /// A value as the file means it: a plain true/false, a plain null, or text.
    static func word(_ node: Node, key: String, path: String) throws -> Word {
        guard let scalar = node.scalar else {
            throw ConfigError("\(path): the value of '\(key)' is not a string, number or list of them")
        }
        guard scalar.style == .plain else { return .text(scalar.string) }
        switch scalar.string {
        case "true", "True", "TRUE": return .switch(true)
        case "false", "False", "FALSE": return .switch(false)
        case "", "~", "null", "Null", "NULL": return .absent
        default: return .text(scalar.string)
        }
    }

    /// An item of a list: text, whatever it looks like.
    static func scalar(_ node: Node, key: String, path: String) throws -> String {
        guard let scalar = node.scalar else {
            throw ConfigError("\(path): the value of '\(key)' is not a string, number or list of them")
        }
        return scalar.string
    }

    /// The flag names a command line gives (`-name`, `--name`, `-name=value`).
    static func names(_ arguments: [String]) -> Set<String> {
        Set(arguments.compactMap { arg in
            guard arg.hasPrefix("-"), arg.count > 1 else { return nil }
            let bare = arg.drop { $0 == "-" }
            return String(bare.split(separator: "=", maxSplits: 1).first ?? "")
        })
    }

    static func configPath(_ arguments: [String]) -> String? {
        for (i, arg) in arguments.enumerated() {
            if arg == "-config" || arg == "--config" { return i + 1 < arguments.count ? arguments[i + 1] : nil }
            for prefix in ["-config=", "--config="] where arg.hasPrefix(prefix) { return String(arg.dropFirst(prefix.count)) }
        }
        return nil
    }
}

/// A `-config` file that cannot be used: one line that says why.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
