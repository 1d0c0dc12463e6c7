extension DeviceList.Device {
    /// The past names of a version 2 entry, whose backup names are full strings: those the current name and folders
    /// give are dropped; `<name>:<folder>` is grouped under the current name or another listed name when it starts
    /// with one and a ':', and any other name is kept whole (bare). Lossless: `backupNames` gives every one again.
    func pastNames(fromVersion2 names: [String]) -> [BackupNameGroup] {
        let prefixes = [name] + names.filter { $0 != name }.sorted { $0.utf8.count > $1.utf8.count }
        var groups: [BackupNameGroup] = []
        for full in names {
            if let prefix = prefixes.first(where: { full.utf8.count > $0.utf8.count + 1 && full.utf8.starts(with: ($0 + ":").utf8) }) {
                let folder = String(decoding: full.utf8.dropFirst(prefix.utf8.count + 1), as: UTF8.self)
                groups.append(BackupNameGroup(name: prefix, folders: [folder]))
            } else {
                groups.append(BackupNameGroup(name: full, bare: true))
            }
        }
        var device = self
        device.pastNames = BackupNameGroup.merged(groups, [])
        device.tidy()
        return device.pastNames
    }
}
