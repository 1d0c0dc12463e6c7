import BlockStore
import ChordRing
import PeerStoreWire

/// Fetches blocks and checks each before anyone reads it: snapshots, trees and manifests against their id, chunks by
/// their tag under the chunk key (`ChunkBlock.open`).
public struct BlockFetcher: Sendable {
    public let client: RingClient

    public init(client: RingClient) {
        self.client = client
    }

    /// The verified bytes of block `id`; `what` names the thing it belongs to for error messages.
    public func fetch(_ id: Identifier, what: String) async throws -> [UInt8] {
        let bytes = try await unverified(id, what: what)
        guard BlockID.of(bytes) == id else {
            throw BackupError(.corruptBlock, "block \(id.shortHex()) of \(what) failed its hash check (corrupt data from the node)")
        }
        return bytes
    }

    /// Fetches and opens a chunk, verifying key and length (and so its id: see `ChunkBlock.open`).
    public func chunk(_ ref: ChunkRef, what: String) async throws -> [UInt8] {
        let bytes = try await unverified(ref.blockID, what: what)
        do {
            return try ChunkBlock.open(bytes, ref: ref)
        } catch let error as BackupError {
            throw BackupError(error.code, "\(what): \(error.message)")
        }
    }

    /// The block's bytes as a holder sent them; a clear error if no holder has it.
    private func unverified(_ id: Identifier, what: String) async throws -> [UInt8] {
        guard let bytes = try await client.getBlock(id: id) else {
            throw BackupError(.missingBlock, "block \(id.shortHex()) of \(what) is missing from the ring")
        }
        return bytes
    }
}
