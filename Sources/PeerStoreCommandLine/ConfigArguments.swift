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

    /// The flags a YAML mapping stands for, leaving out the keys `given` has.
    public static func flags(yaml text: String, path: String, given: [String]) throws -> [String] {
        let loaded: Any?
        do {
            loaded = try Yams.load(yaml: text)
        } catch {
            throw ConfigError("\(path) is not YAML: \(String(describing: error).split(separator: "\n").first ?? ""); write one `flag: value` a line")
        }
        guard let loaded else { return [] }
        guard let mapping = loaded as? [String: Any] else {
            throw ConfigError("\(path) is not a mapping of flags to values: write one `flag: value` a line")
        }
        var out: [String] = []
        for key in mapping.keys.sorted() where key != "config" && !names(given).contains(key) {
            switch mapping[key] {
            case let list as [Any]:
                for item in list { out += ["-" + key, try scalar(item, key: key, path: path)] }
            case let flag as Bool:
                if flag { out.append("-" + key) }
            case let value?:
                out += ["-" + key, try scalar(value, key: key, path: path)]
            case nil:
                break
            }
        }
        return out
    }

    static func scalar(_ value: Any, key: String, path: String) throws -> String {
        switch value {
        case let s as String: return s
        case let n as Int: return String(n)
        case let d as Double: return String(d)
        case let b as Bool: return b ? "true" : "false"
        default: throw ConfigError("\(path): the value of '\(key)' is not a string, number or list of them")
        }
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
