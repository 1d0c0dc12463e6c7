import Logging
import NIOCore
import NIOEmbedded
import PeerStoreWire
import Testing

/// Frames begun and not finished (EmbeddedChannel, its clock moved by hand): a stalled frame closes its connection at
/// its deadline, a finished one gives its bytes back, and the budget shared by all connections refuses a frame that
/// does not fit, without harming the connections already holding theirs.
@Suite struct PartialFrameGuardTests {
    static func channel(_ budget: PartialFrameBudget, deadline: PartialFrameGuard.Deadline = .init()) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder()))
        try channel.pipeline.syncOperations.addHandler(PartialFrameGuard(budget: budget, deadline: deadline, logger: Logger(label: "test")))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    /// The first `count` bytes of a frame of `payload` bytes (all of it with nil).
    static func frameBytes(payload: Int, first count: Int? = nil) -> ByteBuffer {
        var out = ByteBuffer()
        out.writeInteger(UInt32(9 + payload))
        out.writeInteger(UInt8(1))
        out.writeInteger(UInt64(7))
        out.writeBytes([UInt8](repeating: 0xAB, count: payload))
        return out.getSlice(at: 0, length: min(count ?? out.readableBytes, out.readableBytes))!
    }

    @Test func aStalledFrameClosesItsConnectionAtItsDeadline() throws {
        let budget = PartialFrameBudget(capacity: 64 << 20)
        let deadline = PartialFrameGuard.Deadline(base: .seconds(30), perMiB: .seconds(4))
        #expect(deadline.allowed(for: 8 << 20) == .seconds(62))
        let channel = try Self.channel(budget, deadline: deadline)
        try channel.writeInbound(Self.frameBytes(payload: 2 << 20, first: 1000))  // announces 2 MiB, sends 1000 bytes
        #expect(budget.reserved == (2 << 20) + 9)
        channel.embeddedEventLoop.advanceTime(by: .seconds(37))
        #expect(channel.isActive, "within 30 s + 2 × 4 s")
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive, "closed at the deadline")
        #expect(budget.reserved == 0, "its reservation given back")
    }

    @Test func aFrameThatArrivesInPiecesIsPassedOnAndGivesItsBytesBack() throws {
        let budget = PartialFrameBudget(capacity: 64 << 20)
        let channel = try Self.channel(budget)
        var whole = Self.frameBytes(payload: 100_000)
        let first = whole.readSlice(length: 40_000)!
        try channel.writeInbound(first)
        #expect(budget.reserved == 100_009)
        try channel.writeInbound(whole)
        let frame = try #require(try channel.readInbound(as: Frame.self))
        #expect(frame.payload.readableBytes == 100_000 && frame.requestID == 7)
        #expect(budget.reserved == 0)
        channel.embeddedEventLoop.advanceTime(by: .seconds(600))
        #expect(channel.isActive, "no deadline left behind")
        // Small frames that arrive whole never touch the budget.
        try channel.writeInbound(Self.frameBytes(payload: 10))
        #expect(try channel.readInbound(as: Frame.self) != nil && budget.reserved == 0)
        _ = try channel.finish()
    }

    @Test func theSharedBudgetRefusesAFrameThatDoesNotFit() throws {
        let budget = PartialFrameBudget(capacity: 3 << 20)
        let a = try Self.channel(budget), b = try Self.channel(budget), c = try Self.channel(budget)
        try a.writeInbound(Self.frameBytes(payload: 2 << 20, first: 64))
        try b.writeInbound(Self.frameBytes(payload: 2 << 20, first: 64))
        #expect(a.isActive && !b.isActive, "the second 2 MiB frame does not fit in 3 MiB")
        try c.writeInbound(Self.frameBytes(payload: 512 << 10, first: 64))
        #expect(c.isActive, "a smaller one still does")
        try a.close().wait()
        #expect(budget.reserved == (512 << 10) + 9, "a closed connection gives its frame back")
        _ = try? c.finish()
    }
}
