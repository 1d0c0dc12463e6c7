import PeerStoreBackup

extension SyncOperation {
    /// `sync -folder NAME -stop`: takes the folder off this device's entry in the device list, so the other devices stop
    /// merging its state; its snapshots stay restorable, and a later sync of it here starts again.
    func stop(_ context: OperationContext, folder: String) async throws -> Int32 {
        let session = context.session
        let (identity, config) = (try session.identity(), try session.config())
        let lock = try BackupLock.sync(home: session.home, folder: folder)
        defer { lock.release() }
        try await session.withRing(config, identity) { ring in
            try await DeviceRegistry.stopSync(ring: ring, identity: identity, home: session.home, folder: folder)
        }
        SyncMemo.forget(home: session.home, folder: folder)
        context.output.say("this device ('\(DeviceName.shown(config.device))') no longer syncs folder '\(DeviceName.shown(folder))': your other devices stop merging its state; its snapshots stay restorable (-operation snapshots -device '\(SyncRunner.snapshotDevice(device: config.device, folder: folder))'), and a sync of it here starts again")
        return 0
    }
}
