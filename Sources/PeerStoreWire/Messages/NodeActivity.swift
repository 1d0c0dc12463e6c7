import NIOCore

/// What a node did lately, as its status tells it (for the status page): how long it has run, the requests it
/// answered in the last minute and since it started, and what its last anti-entropy round found. Sent after the
/// status's `replicas` byte as `version u8 (1) | uptime u32 | puts u32 | gets u32 | requests u64 | repairAgo u32 |
/// deficit u32 | backlog u32`; a later version may append fields, which this one skips.
public struct NodeActivity: Equatable, Sendable, Codable {
    /// Seconds since the node started.
    public var uptime: UInt32
    /// Block and record writes answered in the last minute (a client's, and copies placed by other nodes).
    public var putsLastMinute: UInt32
    /// Block and record reads answered in the last minute.
    public var getsLastMinute: UInt32
    /// Requests of every kind answered since the node started.
    public var requests: UInt64
    /// Seconds since the last anti-entropy round ended; nil before the first.
    public var lastRepairAgo: UInt32?
    /// Block copies the last round found missing at this node's replica targets.
    public var replicaDeficit: UInt32
    /// Of those, the copies it could not send (left for a later round).
    public var repairBacklog: UInt32

    public init(uptime: UInt32, putsLastMinute: UInt32, getsLastMinute: UInt32, requests: UInt64,
                lastRepairAgo: UInt32?, replicaDeficit: UInt32, repairBacklog: UInt32) {
        self.uptime = uptime
        self.putsLastMinute = putsLastMinute
        self.getsLastMinute = getsLastMinute
        self.requests = requests
        self.lastRepairAgo = lastRepairAgo
        self.replicaDeficit = replicaDeficit
        self.repairBacklog = repairBacklog
    }

    static let version: UInt8 = 1
    /// `lastRepairAgo` when there was no round yet.
    static let never = UInt32.max
    static let encodedSize = 33

    func encode(into out: inout ByteBuffer) {
        out.writeInteger(Self.version)
        out.writeInteger(uptime)
        out.writeInteger(putsLastMinute)
        out.writeInteger(getsLastMinute)
        out.writeInteger(requests)
        out.writeInteger(lastRepairAgo.map { min($0, Self.never - 1) } ?? Self.never)
        out.writeInteger(replicaDeficit)
        out.writeInteger(repairBacklog)
    }

    /// The activity at the reader, or nil if none follows (a build before it) or what follows is not one this build
    /// can read (then skipped, as every unknown trailing field of a status is).
    static func decodeIfPresent(from p: inout ByteBuffer) throws -> NodeActivity? {
        guard let version = p.getInteger(at: p.readerIndex, as: UInt8.self), version >= Self.version,
            p.readableBytes >= Self.encodedSize
        else { return nil }
        p.moveReaderIndex(forwardBy: 1)
        let uptime = try ChordCodec.read(&p, as: UInt32.self)
        let puts = try ChordCodec.read(&p, as: UInt32.self)
        let gets = try ChordCodec.read(&p, as: UInt32.self)
        let requests = try ChordCodec.read(&p, as: UInt64.self)
        let ago = try ChordCodec.read(&p, as: UInt32.self)
        let deficit = try ChordCodec.read(&p, as: UInt32.self)
        let backlog = try ChordCodec.read(&p, as: UInt32.self)
        return NodeActivity(uptime: uptime, putsLastMinute: puts, getsLastMinute: gets, requests: requests,
                            lastRepairAgo: ago == Self.never ? nil : ago, replicaDeficit: deficit, repairBacklog: backlog)
    }
}
