import BlockStore
import ChordRing
import PeerStoreWire

/// Fetches blocks and checks each against its id before anyone reads it.
public struct BlockFetcher: Sendable {
    public let client: RingClient

    public init(client: RingClient) {
        self.client = client
    }

    /// The verified bytes of block `id`; `what` names the thing it belongs to for error messages.
    public func fetch(_ id: Identifier, what: String) async throws -> [UInt8] {
        guard let bytes = try await client.getBlock(id: id) else {
            throw BackupError(.missingBlock, "block \(id.shortHex()) of \(what) is missing from the ring")
        }
        guard BlockID.of(bytes) == id else {
            throw BackupError(.corruptBlock, "block \(id.shortHex()) of \(what) failed its hash check (corrupt data from the node)")
        }
        return bytes
    }

    /// Fetches and opens a chunk, verifying key and length (and so its id: see `ChunkBlock.open`).
    public func chunk(_ ref: ChunkRef, what: String) async throws -> [UInt8] {
        guard let bytes = try await client.getBlock(id: ref.blockID) else {
            throw BackupError(.missingBlock, "block \(ref.blockID.shortHex()) of \(what) is missing from the ring")
        }
        do {
            return try ChunkBlock.open(bytes, ref: ref)
        } catch let error as BackupError {
            throw BackupError(error.code, "\(what): \(error.message)")
        }
    }
}
