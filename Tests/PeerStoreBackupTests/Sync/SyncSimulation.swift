import Testing
import ChordRing
import PeerStoreTestKit

@testable import PeerStoreBackup

/// Devices with a folder each (path -> what is there) and the state each last published, synced with `SyncMerge`
/// alone: the model of the ring's sync without a network.
struct SyncSimulation {
    struct Device {
        var id: [UInt8]
        var disk: [SyncPath: FileMeta] = [:]
        var published = FolderState()
    }

    var devices: [Device]
    var clock: Int64 = 1_700_000_000
    var nextContent: UInt32 = 1
    /// Every content written, and those a device overwrote or deleted while it had them (knowingly replaced).
    var written: Set<UInt32> = []
    var superseded: Set<UInt32> = []

    init(count: Int) {
        devices = (0..<count).map { Device(id: [UInt8](repeating: UInt8(0x10 * ($0 + 1)), count: 16)) }
    }

    static func meta(_ n: UInt32, mtime: Int64) -> FileMeta {
        let id = withUnsafeBytes(of: n.bigEndian) { Array($0) } + [UInt8](repeating: 0, count: 28)
        let ref = ChunkRef(blockID: Identifier(bytes: id)!, key: [UInt8](repeating: 1, count: 32), length: Int(n % 7) + 1)
        return FileMeta(kind: .file, content: .inline([ref]), size: UInt64(ref.length), mode: 0o644,
                        mtime: Timestamp(seconds: mtime, nanoseconds: 0))
    }

    static func contentID(_ meta: FileMeta) -> UInt32? {
        guard case .inline(let refs) = meta.content, let first = refs.first else { return nil }
        return first.blockID.bytes.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func write(device d: Int, path: SyncPath) {
        if let old = devices[d].disk[path], let id = Self.contentID(old) { superseded.insert(id) }
        clock += 1
        devices[d].disk[path] = Self.meta(nextContent, mtime: clock)
        written.insert(nextContent)
        nextContent += 1
    }

    mutating func delete(device d: Int, path: SyncPath) {
        guard let old = devices[d].disk.removeValue(forKey: path) else { return }
        if let id = Self.contentID(old) { superseded.insert(id) }
    }

    /// One round on device `d`; returns the plan it carried out.
    @discardableResult
    mutating func sync(_ d: Int) -> SyncMerge.Outcome {
        let remotes = devices.indices.filter { $0 != d }.map { devices[$0].published }
        let outcome = SyncMerge.merge(device: devices[d].id, previous: devices[d].published, scan: devices[d].disk, remotes: remotes)
        // A round that says it changed nothing leaves its head as it is: it must be right, and have nothing to do.
        #expect(outcome.changed == (outcome.state != devices[d].published))
        #expect(outcome.changed || outcome.plan.isEmpty)
        for action in outcome.plan.actions {
            switch action {
            case .rename(let from, let to):
                devices[d].disk[to] = devices[d].disk.removeValue(forKey: from)
            case .delete(let path):
                devices[d].disk[path] = nil
            case .download(let path, let record):
                devices[d].disk[path] = record.meta
            }
        }
        devices[d].published = outcome.state
        return outcome
    }

    /// The contents present on device `d`'s disk.
    func contents(_ d: Int) -> Set<UInt32> { Set(devices[d].disk.values.compactMap(Self.contentID)) }
}
