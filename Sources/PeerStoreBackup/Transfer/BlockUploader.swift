import ChordRing
import PeerStoreConcurrency
import PeerStoreWire

/// Sends blocks to the ring in windows: a window's ids are asked in one have-blocks request and only the missing
/// blocks are sent, many at once. Windows are sent while the next ones fill, and `add` waits once more than
/// `Settings.batchesInFlight` are on the wire, so memory stays bounded whatever the files' sizes.
///
/// Safe for many concurrent adders (files are read several at once): a window is handed to its send task without a
/// suspension in between, every send task is kept until it is awaited, and `finish` returns only when every block
/// added before it is durable.
///
/// With `leasing`, a window's have-blocks leases the blocks the ring holds, and the blocks sent are leased once stored.
public actor BlockUploader {
    public struct Stats: Sendable, Equatable {
        public var blocksOffered = 0
        public var blocksSent = 0
        public var bytesSent = 0

        mutating func add(_ other: Stats) {
            blocksSent += other.blocksSent
            bytesSent += other.bytesSent
        }
    }

    public struct Settings: Sendable {
        /// A window is sent when it holds this many bytes or blocks. 4 MiB: with two windows on the wire and one
        /// filling, up to 12 MiB of sealed blocks wait here, half what windows of 8 MiB held, with no time lost on one
        /// node or three (with 5 MiB read buffers, a first backup's peak went 110-119 -> 85-87 MiB).
        public var windowBytes = 4 << 20
        public var windowBlocks = HaveBlocksBatch.uploadWindow
        /// Windows on the wire before `add` waits for the oldest.
        public var batchesInFlight = 2
        /// Puts in flight per window: at most this many, and no more than `putBytesInFlight` bytes (but at least one).
        /// Many, so that small blocks form big batches on each connection (`BlockBatch`).
        public var putsInFlight = 256
        public var putBytesInFlight = 6 << 20
        public init() {}
    }

    private let sink: any BlockSink
    private let settings: Settings
    /// The leases this upload renews (nil: none).
    public nonisolated let leasing: BlockLeasing?
    private var window: [(Identifier, [UInt8])] = []
    private var windowBytes = 0
    private var seen = Set<Identifier>()
    /// Windows being sent, oldest first, each with a serial so that exactly one waiter retires it.
    private var batches: [(serial: Int, task: Task<Stats, Error>)] = []
    private var nextSerial = 0
    private var stats = Stats()

    public init(client: any BlockSink, settings: Settings = .init(), leasing: BlockLeasing? = nil) {
        self.sink = client
        self.settings = settings
        self.leasing = leasing
    }

    /// Queues a block; returns at once unless too many windows are still on the wire.
    public func add(id: Identifier, bytes: [UInt8]) async throws {
        stats.blocksOffered += 1
        guard seen.insert(id).inserted else { return }
        window.append((id, bytes))
        windowBytes += bytes.count
        if windowBytes >= settings.windowBytes || window.count >= settings.windowBlocks {
            startBatch()
        }
        while batches.count > settings.batchesInFlight {
            try await retireOldest()
        }
    }

    /// Sends everything queued and waits until the ring has all of it on disk.
    public func finish() async throws -> Stats {
        startBatch()
        while !batches.isEmpty {
            try await retireOldest()
        }
        return stats
    }

    /// Hands the current window to a send task (no suspension: no other adder can see a half-taken window).
    private func startBatch() {
        guard !window.isEmpty else { return }
        let batch = window
        window = []
        windowBytes = 0
        let sink = self.sink
        let (settings, leasing) = (self.settings, self.leasing)
        batches.append((nextSerial, Task { try await Self.send(batch, sink: sink, settings: settings, leasing: leasing) }))
        nextSerial += 1
    }

    /// Waits for the oldest window; the first waiter to come back removes it and counts its stats.
    private func retireOldest() async throws {
        guard let (serial, task) = batches.first else { return }
        let sent = try await task.value
        if let index = batches.firstIndex(where: { $0.serial == serial }) {
            batches.remove(at: index)
            stats.add(sent)
        }
    }

    private static func send(_ batch: [(Identifier, [UInt8])], sink: any BlockSink, settings: Settings, leasing: BlockLeasing?)
        async throws -> Stats
    {
        let present = try await sink.haveBlocks(batch.map(\.0), leasing: leasing)
        let missing = zip(batch, present).filter { !$0.1 }.map(\.0)
        var stats = Stats()
        // Small blocks: many in flight, so that they go in batches and each of the node's syncs covers many; large ones:
        // a few MiB.
        let limit = ConcurrencyLimit(tasks: settings.putsInFlight, weightLimit: settings.putBytesInFlight)
        try await forEachConcurrently(missing, limit: limit, weight: { $0.1.count }) { (id, block) in
            try await sink.putBlock(id: id, bytes: block)
            return block.count
        } continueAfter: { sent in
            stats.blocksSent += 1
            stats.bytesSent += sent
            return true
        }
        try await leasing?.leaseStored(missing.map(\.0))
        TransferMetrics.sent(blocks: stats.blocksSent, bytes: stats.bytesSent)
        return stats
    }
}
