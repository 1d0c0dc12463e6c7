extension BackupLock {
    /// The lock of one synced folder in a client home (`sync-<folder>.lock`), held for a sync round, so two syncs of
    /// the same folder on this device never run at once.
    public static func sync(home: ClientHome, folder: String) throws -> BackupLock {
        try BackupLock(path: home.path + "/sync-" + ClientHome.fileName(device: folder) + ".lock") { holder in
            BackupError(
                .concurrentBackup,
                "another sync of folder '\(folder)' is running on this device\(holder); nothing was lost: let it finish, or run this one again later")
        }
    }
}
