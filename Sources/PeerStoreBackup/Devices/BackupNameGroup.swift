/// Backup names under one device name, kept compactly: the name itself (if something backed up under it) and
/// `<name>:<folder>` for each of `folders` (sync heads). The device list keeps in these only the names it cannot
/// derive from a device's current name and folders, and the names of devices taken off the list.
public struct BackupNameGroup: Equatable, Sendable {
    public var name: String
    /// Whether `name` itself is a backup name.
    public var bare: Bool
    /// The folders synced under `name`, sorted, each once.
    public var folders: [String]

    public init(name: String, bare: Bool = false, folders: [String] = []) {
        self.name = name
        self.bare = bare
        self.folders = Array(Set(folders)).sorted()
    }

    /// The backup names it stands for.
    public var backupNames: [String] {
        (bare ? [name] : []) + folders.map { "\(name):\($0)" }
    }

    public var isEmpty: Bool { !bare && folders.isEmpty }

    /// `groups` with `more` merged in: one group per name, sorted by name, none empty.
    static func merged(_ groups: [BackupNameGroup], _ more: [BackupNameGroup]) -> [BackupNameGroup] {
        var byName: [String: BackupNameGroup] = [:]
        for g in groups + more {
            var into = byName[g.name] ?? BackupNameGroup(name: g.name)
            into.bare = into.bare || g.bare
            into.folders = Array(Set(into.folders + g.folders)).sorted()
            byName[g.name] = into
        }
        return byName.values.filter { !$0.isEmpty }.sorted { $0.name < $1.name }
    }
}
