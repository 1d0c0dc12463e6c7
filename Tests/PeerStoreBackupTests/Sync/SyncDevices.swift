import Foundation
import Logging
import PeerStoreBackup
import PeerStoreTestKit

/// Devices of one user syncing a folder through one `InMemoryRing`, in-process: each its own home (the identity
/// copied into it, as moving it to a second machine does), device id, folder and file cache.
struct SyncDevices {
    struct Device {
        let name: String
        let home: ClientHome
        let id: DeviceID
        let dir: String
    }

    let tmp: TemporaryDirectory
    let ring = InMemoryRing()
    let identity: Identity
    let devices: [Device]
    let folder = "docs"

    init(prefix: String, names: [String] = ["a", "b"]) throws {
        let tmp = try TemporaryDirectory(prefix: prefix)
        self.tmp = tmp
        let first = ClientHome(path: tmp.sub("home-\(names[0])"))
        identity = try first.ensureInitialised().0
        devices = try names.map { name in
            let home = ClientHome(path: tmp.sub("home-\(name)"))
            if !home.exists {
                try FileManager.default.createDirectory(atPath: home.path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                try FileManager.default.copyItem(atPath: first.identityPath, toPath: home.identityPath)
            }
            let dir = tmp.sub("dir-\(name)")
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            return Device(name: name, home: home, id: try DeviceID.ofHome(home), dir: dir)
        }
    }

    subscript(name: String) -> Device { devices.first { $0.name == name }! }

    @discardableResult
    func sync(_ name: String) async throws -> SyncSummary {
        let d = self[name]
        let snapshotDevice = SyncRunner.snapshotDevice(device: d.name, folder: folder)
        return try await SyncRunner(client: ring, identity: identity, logger: Logger(label: "test"), heads: HeadMemory(home: d.home))
            .run(localPath: d.dir, folder: folder, id: d.id, name: d.name,
                 cache: FileCacheStore(home: d.home, device: snapshotDevice, keys: identity.keys))
    }

    func write(_ name: String, _ path: String, _ text: String) throws {
        let full = self[name].dir + "/" + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }

    func read(_ name: String, _ path: String) -> String? {
        FileManager.default.contents(atPath: self[name].dir + "/" + path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The names in the device's folder (recursive, sorted), relative.
    func listing(_ name: String) -> [String] {
        ((try? FileManager.default.subpathsOfDirectory(atPath: self[name].dir)) ?? []).sorted()
    }

    /// Differences between two devices' folders, a folder's own mtime left out (it moves with every change inside).
    func differences(_ a: String, _ b: String) -> [String] {
        TreeComparison.differences(self[a].dir, self[b].dir, compareRootMetadata: false).filter { line in
            guard line.hasPrefix("mtime differs: ") else { return true }
            let relative = String(line.dropFirst("mtime differs: ".count).split(separator: " ")[0])
            var isDir: ObjCBool = false
            return !(FileManager.default.fileExists(atPath: self[a].dir + relative, isDirectory: &isDir) && isDir.boolValue)
        }
    }
}
