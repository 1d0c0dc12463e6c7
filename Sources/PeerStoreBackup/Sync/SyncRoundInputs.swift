import PeerStoreModel

/// What a sync round reads from the ring: this device's head record for the folder and those of the other devices
/// that sync it, and their states. The states are opened while the scan runs when the seqs differ from the last clean
/// round's (`SyncMemo`); when they are the same, only a change on disk needs them, and the round opens them then.
struct SyncRoundInputs: Sendable {
    struct States: Sendable {
        var mine: SyncHeadStore.Published?
        var remotes: [FolderState]
    }

    var mine: SignedRecord?
    var remotes: [(device: DeviceList.Device, record: SignedRecord?)]
    /// Opened while the scan ran, if the seqs had moved.
    var states: States?

    /// The seq of every other device's head (0 for one that has not published yet).
    var seqs: [DeviceID: UInt64] {
        Dictionary(remotes.map { ($0.device.id, $0.record?.seq ?? 0) }, uniquingKeysWith: max)
    }

    static func read(_ store: SyncHeadStore, id: DeviceID, name: String, devices: DeviceList, memo: SyncMemo?) async throws -> SyncRoundInputs {
        var inputs = SyncRoundInputs(mine: try await store.record(id, name: name), remotes: [])
        for (device, _) in devices.devices(syncing: store.folder) where device.id != id {
            inputs.remotes.append((device, try await store.record(device.id, name: device.name)))
        }
        if memo == nil || memo?.own != inputs.mine?.seq || memo?.remotes != inputs.seqs {
            inputs.states = try await inputs.open(store, name: name)
        }
        return inputs
    }

    /// The states the records name.
    func open(_ store: SyncHeadStore, name: String) async throws -> States {
        var states = States(mine: nil, remotes: [])
        if let mine { states.mine = try await store.open(mine, name: name) }
        for (device, record) in remotes {
            if let record { states.remotes.append(try await store.open(record, name: device.name).state) }
        }
        return states
    }
}
