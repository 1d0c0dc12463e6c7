import ChordRing
import NIOCore

/// One block of a batched put (`WireMessage.putBlocks`).
public struct BlockPut: Equatable, Sendable {
    public var id: Identifier
    public var bytes: ByteBuffer

    public init(id: Identifier, bytes: ByteBuffer) {
        self.id = id
        self.bytes = bytes
    }
}

/// The bounds of batched puts and reads. Many small blocks (whole small files) travel in one request rather than one
/// each, because then the cost that dominates is per request (a frame, a task, a wake-up and a system call at both
/// ends), not per byte.
public enum BlockBatch {
    /// The most blocks one put-blocks or get-blocks request carries (the wire bound).
    public static let maxBlocks = 1024
    /// Blocks at most this large are batched by clients; larger ones go one to a request as before.
    public static let smallBlock = 64 << 10
    /// What a client puts into one batch at most: blocks and bytes.
    public static let clientBlocks = 256
    public static let clientBytes = 1 << 20
    /// Batches a client keeps in flight on one connection; requests made meanwhile wait to form the next batch.
    public static let batchesInFlight = 4
    /// The block bytes a get-blocks answer holds at most; ids past it are answered as absent, and asked again alone.
    public static let maxAnswerBytes = Frame.defaultMaxSize - (64 << 10)
}
