import ChordRing

/// Where a backup's blocks go: the ring (`RingClient`), or a fake in tests.
public protocol BlockSink: Sendable {
    /// For each id, whether the ring already holds that block.
    func haveBlocks(_ ids: [Identifier]) async throws -> [Bool]
    /// Stores one block durably; true if it was new.
    @discardableResult
    func putBlock(id: Identifier, bytes: [UInt8]) async throws -> Bool
}

extension RingClient: BlockSink {}
