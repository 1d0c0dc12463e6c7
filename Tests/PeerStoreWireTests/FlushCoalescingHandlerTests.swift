import NIOCore
import NIOEmbedded
import Testing

@testable import PeerStoreWire

/// Flushes of one turn of the event loop leave together; nothing written is held back past the turn, a close or the
/// handler's removal.
struct FlushCoalescingHandlerTests {
    func channel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(FlushCoalescingHandler())
        return channel
    }

    func buffer(_ text: String, _ channel: EmbeddedChannel) -> ByteBuffer { channel.allocator.buffer(string: text) }

    func outbound(_ channel: EmbeddedChannel) throws -> [String] {
        var out: [String] = []
        while let next = try channel.readOutbound(as: ByteBuffer.self) { out.append(String(buffer: next)) }
        return out
    }

    @Test func flushesOfOneTurnLeaveTogetherAtItsEnd() throws {
        let channel = try channel()
        for text in ["a", "b", "c"] { channel.writeAndFlush(buffer(text, channel), promise: nil) }
        #expect(try outbound(channel).isEmpty, "held until the loop's turn ends")
        channel.embeddedEventLoop.run()
        #expect(try outbound(channel) == ["a", "b", "c"])
        // The next turn is flushed on its own.
        channel.writeAndFlush(buffer("d", channel), promise: nil)
        channel.embeddedEventLoop.run()
        #expect(try outbound(channel) == ["d"])
        _ = try channel.finish()
    }

    @Test func aCloseFlushesWhatWasWrittenBeforeIt() throws {
        let channel = try channel()
        let written = channel.eventLoop.makePromise(of: Void.self)
        channel.writeAndFlush(buffer("last words", channel), promise: written)
        channel.close(promise: nil)
        #expect(throws: Never.self) { try written.futureResult.wait() }
        #expect(try outbound(channel) == ["last words"])
    }

    @Test func removingTheHandlerFlushesWhatItHeld() throws {
        let channel = try channel()
        channel.writeAndFlush(buffer("x", channel), promise: nil)
        let handler = try channel.pipeline.syncOperations.handler(type: FlushCoalescingHandler.self)
        try channel.pipeline.syncOperations.removeHandler(handler).wait()
        #expect(try outbound(channel) == ["x"])
        channel.embeddedEventLoop.run()  // the queued flush finds nothing to do and does not crash
        _ = try channel.finish()
    }
}
