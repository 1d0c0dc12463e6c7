import ChordRing
import PeerStoreModel
import PeerStoreWire

/// Fetches blocks and checks each before anyone reads it: snapshots, trees and manifests against their id, chunks by
/// their tag under the chunk key (`ChunkBlock.open`). A copy that fails its check, or a holder that reports its copy
/// damaged, costs only that copy: the other holders are asked in turn before the block counts as lost. A holder whose
/// copy failed is told (`reportBadBlock`), so that it checks its copy in full and drops it if damaged.
public struct BlockFetcher: Sendable {
    public let client: any RingAccess
    /// Holders asked for one block before it counts as corrupt (each after the previous one's copy failed its check).
    let maxHolders = 8

    public init(client: any RingAccess) {
        self.client = client
    }

    /// The verified bytes of block `id`; `what` names the thing it belongs to for error messages.
    public func fetch(_ id: Identifier, what: String) async throws -> [UInt8] {
        try await verified(id, what: what) { bytes in
            guard BlockID.of(bytes) == id else {
                throw BackupError(.corruptBlock, "block \(id.shortHex()) of \(what) failed its hash check (corrupt data from the node)")
            }
            return bytes
        }
    }

    /// Fetches and opens a chunk, verifying key and length (and so its id: see `ChunkBlock.open`).
    public func chunk(_ ref: ChunkRef, what: String) async throws -> [UInt8] {
        try await verified(ref.blockID, what: what, small: ref.length <= BlockBatch.smallBlock) { bytes in
            do {
                return try ChunkBlock.open(bytes, ref: ref)
            } catch let error as BackupError {
                throw BackupError(error.code, "\(what): \(error.message)")
            }
        }
    }

    /// Asks the holders of `id` one after another until one's copy passes `check`.
    private func verified(_ id: Identifier, what: String, small: Bool = false, _ check: ([UInt8]) throws -> [UInt8]) async throws
        -> [UInt8]
    {
        let client = self.client
        let bytes = try await Self.firstIntact(id, what: what, maxHolders: maxHolders, from: {
            let got = try await client.getBlock(id: id, excluding: $0, small: small)
            if let got { TransferMetrics.received(bytes: got.bytes.count) }
            return got
        }, report: { holder in
            _ = await client.reportBadBlock(id: id, holder: holder)
        }, check)
        TransferMetrics.fetched()
        return bytes
    }

    /// The first copy of `id` that `source` gives (asked again without each holder whose copy failed) and that passes
    /// `check`; each holder whose copy failed is given to `report` before the next is asked. Throws `corruptBlock` if
    /// every copy found was damaged (the last check's error, or the holders' answer), `missingBlock` if no holder has one.
    static func firstIntact(_ id: Identifier, what: String, maxHolders: Int,
                            from source: (Set<Identifier>) async throws -> (bytes: [UInt8], from: Identifier)?,
                            report: (Identifier) async -> Void = { _ in },
                            _ check: ([UInt8]) throws -> [UInt8]) async throws -> [UInt8] {
        var failedHolders = Set<Identifier>()
        var lastFailure: BackupError?
        while failedHolders.count < maxHolders {
            let got: (bytes: [UInt8], from: Identifier)?
            do {
                got = try await source(failedHolders)
            } catch let error as WireError where error.isAnswer {
                // Every holder left answered without a copy; one of them (or an earlier one) had a damaged one.
                throw lastFailure ?? BackupError(
                    error.code == .corruptBlock ? .corruptBlock : .missingBlock,
                    "block \(id.shortHex()) of \(what) could not be read from any node that holds it: \(error.message)")
            }
            guard let got else { break }
            do {
                return try check(got.bytes)
            } catch let error as BackupError where error.code == .corruptBlock || error.code == .badFormat {
                lastFailure = error
                failedHolders.insert(got.from)
                await report(got.from)
            }
        }
        throw lastFailure ?? BackupError(.missingBlock, "block \(id.shortHex()) of \(what) is missing from the ring")
    }
}
