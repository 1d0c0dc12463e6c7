import Foundation

extension DeviceRegistry {
    /// Registers the home's device (its `DeviceID`, named `device`) with a backup at `time` (default now); returns the
    /// list stored. The home's head memory guards the list against a rollback.
    @discardableResult
    public static func recordBackup(ring: any RingAccess, identity: Identity, home: ClientHome, device: String,
                                    at time: Int64 = now()) async throws -> DeviceList {
        let id = try DeviceID.ofHome(home)
        return try await update(ring: ring, identity: identity, heads: HeadMemory(home: home)) {
            $0.recordBackup(id: id, name: device, at: time)
        }
    }

    /// What a backup does after its snapshot: `recordBackup`, never failing the backup. Returns a note for the user
    /// when the list could not be updated, or when another device has this one's name (their heads, per name, are one).
    public static func registerBackup(ring: any RingAccess, identity: Identity, home: ClientHome, device: String) async -> String? {
        do {
            let list = try await recordBackup(ring: ring, identity: identity, home: home, device: device)
            guard let twin = list.namesake(of: try DeviceID.ofHome(home)) else { return nil }
            return "another device (id \(twin.id.short)) is also named '\(device)': both back up to the same head; give this one its own name with -device NAME"
        } catch {
            return "the backup is stored, but the device list was not updated (\(error)); the next backup tries again"
        }
    }

    /// Registers the home's device with a sync of `folder` at `time` (default now); returns the list stored.
    @discardableResult
    public static func recordSync(ring: any RingAccess, identity: Identity, home: ClientHome, device: String, folder: String,
                                  at time: Int64 = now()) async throws -> DeviceList {
        let id = try DeviceID.ofHome(home)
        return try await update(ring: ring, identity: identity, heads: HeadMemory(home: home)) {
            $0.recordSync(id: id, name: device, folder: folder, at: time)
        }
    }

    /// Takes `folder` off the home's device entry (`sync -folder NAME -stop`): other devices no longer merge its state,
    /// its snapshots stay restorable. Returns the list stored; a clear error if this device does not sync `folder`.
    @discardableResult
    public static func stopSync(ring: any RingAccess, identity: Identity, home: ClientHome, folder: String) async throws -> DeviceList {
        let id = try DeviceID.ofHome(home)
        return try await update(ring: ring, identity: identity, heads: HeadMemory(home: home)) { list in
            guard list[id]?.lastSynced(folder) != nil else {
                throw BackupError(.usage, "this device does not sync a folder '\(DeviceName.shown(folder))' (see -operation devices); nothing was changed")
            }
            list.stopSyncing(id: id, folder: folder)
        }
    }

    /// Nanoseconds since 1970, as the list keeps times.
    public static func now() -> Int64 {
        Timestamp.nowNanoseconds()
    }
}
