import ChordRing

/// What `-snapshot` names: `latest` (also what no `-snapshot` means) or the start of a snapshot id in hex, as
/// `-operation snapshots` shows it. Parsed before the ring is asked, so a typo is a usage error.
public enum SnapshotSpec: Equatable, Sendable {
    case latest
    /// Lower-case hex digits, at least one.
    case prefix(String)

    /// nil and `latest` are the latest snapshot; anything else must be hex digits (either case).
    public static func parse(_ text: String?) throws -> SnapshotSpec {
        guard let text, text != "latest" else { return .latest }
        let lower = text.lowercased()
        guard !lower.isEmpty, lower.count <= 64, lower.allSatisfy({ $0.isHexDigit && $0.isASCII }) else {
            throw BackupError(.usage, "-snapshot \(text.debugDescription) is neither `latest` nor the start of a snapshot id (hex digits, see -operation snapshots)")
        }
        return .prefix(lower)
    }
}

extension SnapshotCatalog {
    /// The snapshot of `device` that `-snapshot` names (`spec`: nil, `latest` or a unique hex prefix); one-line errors
    /// for none, several, or a spec that is not an id.
    public func chosen(device: String, spec: String?) async throws -> (id: Identifier, snapshot: Snapshot) {
        switch try SnapshotSpec.parse(spec) {
        case .latest: return try await latest(device: device)
        case .prefix(let prefix): return try await chosen(device: device, prefix: prefix)
        }
    }
}
