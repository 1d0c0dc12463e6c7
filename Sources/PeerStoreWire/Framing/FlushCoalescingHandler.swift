import NIOCore

/// Turns the flushes of requests written from many tasks at once into one flush per turn of the event loop.
///
/// Each `writeAndFlush` from outside the event loop arrives as a task of its own; without this handler each one is a
/// `write` system call. Here the first flush of a turn is deferred to a task queued behind the writes already waiting,
/// so a burst of requests (a backup's readers putting blocks) leaves in one vectored write. A close flushes first, so
/// nothing written before it is lost. Sits at the tail of a client pipeline, where the requests come in.
public final class FlushCoalescingHandler: ChannelOutboundHandler, RemovableChannelHandler {
    public typealias OutboundIn = NIOAny
    public typealias OutboundOut = NIOAny

    private var flushQueued = false
    private var removed = false

    public init() {}

    public func flush(context: ChannelHandlerContext) {
        guard !flushQueued else { return }
        flushQueued = true
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.execute {
            let (handler, context) = loopBound.value
            handler.flushNow(context: context)
        }
    }

    public func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        flushNow(context: context)
        context.close(mode: mode, promise: promise)
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        flushNow(context: context)
        removed = true
    }

    private func flushNow(context: ChannelHandlerContext) {
        guard flushQueued, !removed else { return }
        flushQueued = false
        context.flush()
    }
}
