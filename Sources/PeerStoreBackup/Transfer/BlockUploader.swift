import ChordRing
import PeerStoreWire

/// Sends blocks to the node in windows: a window's ids are asked in one have-blocks request, only the missing blocks
/// are sent (many in flight), and the next window fills while the previous one is on the wire. Memory stays bounded by
/// two windows whatever the files' sizes.
public actor BlockUploader {
    public struct Stats: Sendable, Equatable {
        public var blocksOffered = 0
        public var blocksSent = 0
        public var bytesSent = 0
    }

    public struct Settings: Sendable {
        public var windowBytes = 32 << 20
        public var windowBlocks = 1024
        public var putsInFlight = 48
        public init() {}
    }

    private let client: RingClient
    private let settings: Settings
    private var window: [(Identifier, [UInt8])] = []
    private var windowBytes = 0
    private var seen = Set<Identifier>()
    private var inFlight: Task<Stats, Error>?
    private var stats = Stats()

    public init(client: RingClient, settings: Settings = .init()) {
        self.client = client
        self.settings = settings
    }

    /// Queues a block; returns at once unless the window is full and the previous one still sending.
    public func add(id: Identifier, bytes: [UInt8]) async throws {
        stats.blocksOffered += 1
        guard seen.insert(id).inserted else { return }
        window.append((id, bytes))
        windowBytes += bytes.count
        if windowBytes >= settings.windowBytes || window.count >= settings.windowBlocks {
            try await flush()
        }
    }

    /// Sends everything queued and waits until the node has all of it on disk.
    public func finish() async throws -> Stats {
        try await flush()
        try await drain()
        return stats
    }

    private func flush() async throws {
        try await drain()
        guard !window.isEmpty else { return }
        let batch = window
        window = []
        windowBytes = 0
        let client = self.client
        let width = settings.putsInFlight
        inFlight = Task { try await Self.send(batch, client: client, width: width) }
    }

    private func drain() async throws {
        guard let task = inFlight else { return }
        inFlight = nil
        let sent = try await task.value
        stats.blocksSent += sent.blocksSent
        stats.bytesSent += sent.bytesSent
    }

    private static func send(_ batch: [(Identifier, [UInt8])], client: RingClient, width: Int) async throws -> Stats {
        let present = try await client.haveBlocks(batch.map(\.0))
        let missing = zip(batch, present).filter { !$0.1 }.map(\.0)
        var stats = Stats()
        try await withThrowingTaskGroup(of: Int.self) { group in
            var next = 0
            func start() {
                let (id, bytes) = missing[next]
                next += 1
                group.addTask {
                    try await client.putBlock(id: id, bytes: bytes)
                    return bytes.count
                }
            }
            while next < min(width, missing.count) { start() }
            while let sent = try await group.next() {
                stats.blocksSent += 1
                stats.bytesSent += sent
                if next < missing.count { start() }
            }
        }
        return stats
    }
}
