/// The rules for a device name (`-device`): 1 to 64 characters of printable text (spaces inside are fine; no control,
/// format or unassigned characters, no leading or trailing space), at most 128 bytes of UTF-8.
public enum DeviceName {
    public static let maxCharacters = 64
    public static let maxBytes = 128

    /// `name` if it is a valid device name; a one-line error that says what is allowed otherwise.
    public static func check(_ name: String) throws -> String {
        let bad = name.isEmpty || name.count > maxCharacters || name.utf8.count > maxBytes
            || name.first!.isWhitespace || name.last!.isWhitespace
            || name.unicodeScalars.contains { !isPrintable($0) }
        guard !bad else {
            throw BackupError(.usage, "-device '\(Self.shown(name))' is not a usable device name: give 1 to \(maxCharacters) printable characters (no control characters, no leading or trailing spaces)")
        }
        return name
    }

    /// `name` if it may become this device's name (init, backup, sync, import-identity): a valid name without ':',
    /// since a synced folder's snapshots are under `<device>:<folder>` and `laptop:Docs` would share device `laptop`'s
    /// folder `Docs`'s head. `current`, the name in use, stays allowed as it is.
    public static func checkNew(_ name: String, current: String?) throws -> String {
        _ = try check(name)
        guard name == current || !name.contains(":") else {
            throw BackupError(.usage, "-device '\(Self.shown(name))' cannot be a new device name: it contains ':', and a synced folder's snapshots are named <device>:<folder>, so it could share their head; choose a name without ':'")
        }
        return name
    }

    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator: false
        case .spaceSeparator: scalar == " "
        default: true
        }
    }

    /// The name as an error may show it: control characters escaped, cut to a bounded length.
    public static func shown(_ name: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars.prefix(80) {
            out += isPrintable(scalar) ? String(scalar) : "\\u{\(String(scalar.value, radix: 16))}"
        }
        return out
    }
}
