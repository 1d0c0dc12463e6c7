import PeerStoreCrypto

/// The purpose-bound keys a user's master key yields (keyed BLAKE2b with a label each). Deriving rather than storing
/// them keeps the identity file small and lets a new format add a key without a migration.
public struct KeyRing: Sendable {
    public let convergence: [UInt8]
    public let tree: [UInt8]
    public let treeNonce: [UInt8]
    public let manifestBase: [UInt8]
    public let snapshot: [UInt8]
    public let headSalt: [UInt8]
    public let headValue: [UInt8]
    /// Seals the local file cache (`FileCacheStore`); never used for anything sent to a node.
    public let fileCache: [UInt8]
    /// The device list's record salt and value key (`DeviceRegistry`).
    public let devicesSalt: [UInt8]
    public let devicesValue: [UInt8]
    /// Sync heads: the salt of (folder, device) and the sealed head value; the sealed folder-state blocks.
    public let syncSalt: [UInt8]
    public let syncValue: [UInt8]
    public let syncState: [UInt8]
    /// Derives a state piece's nonce from its content, so an unchanged state is the same block (stored once).
    public let syncStateNonce: [UInt8]
    /// Seals the snapshot index's pieces (`SnapshotIndexCodec`), and derives each piece's nonce from its content.
    public let snapshotIndex: [UInt8]
    public let snapshotIndexNonce: [UInt8]

    public init(masterKey: [UInt8]) {
        func derive(_ label: String) -> [UInt8] {
            Blake2b.hash(Array("peerstore.v1.\(label)".utf8), outputLength: 32, key: masterKey)
        }
        convergence = derive("convergence")
        tree = derive("tree")
        treeNonce = derive("tree.nonce")
        manifestBase = derive("manifest")
        snapshot = derive("snapshot")
        headSalt = derive("head.salt")
        headValue = derive("head.value")
        fileCache = derive("file.cache")
        devicesSalt = derive("devices.salt")
        devicesValue = derive("devices.value")
        syncSalt = derive("sync.salt")
        syncValue = derive("sync.value")
        syncState = derive("sync.state")
        syncStateNonce = derive("sync.state.nonce")
        snapshotIndex = derive("snapshot.index")
        snapshotIndexNonce = derive("snapshot.index.nonce")
    }
}
