extension ShareGrant {
    /// The file's name for a terminal: other bytes as `\xNN`, control characters as spaces (it comes from another user,
    /// who must not be able to move the cursor or fake lines).
    public var shownName: String { Self.oneLine(name.description) }

    /// The message on one line, control characters (line breaks too) as spaces.
    public var shownMessage: String { Self.oneLine(message) }

    static func oneLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map {
            $0.properties.generalCategory == .control || $0.properties.generalCategory == .format ? " " : $0
        }))
    }
}
