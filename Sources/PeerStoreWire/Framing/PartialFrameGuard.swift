import Logging
import NIOCore

/// Holds every frame a peer has begun to a deadline (`base` plus `perMiB` for each MiB it announced) and to the
/// process's `PartialFrameBudget`: a peer that announces a large frame and stalls, or many that do at once, are
/// disconnected instead of holding memory. Sits after the frame decoder, whose `PartialFrame` events it reads.
public final class PartialFrameGuard: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = Frame
    public typealias InboundOut = Frame

    /// How long a frame may take to arrive once begun.
    public struct Deadline: Sendable, Equatable {
        public var base: TimeAmount
        public var perMiB: TimeAmount

        public init(base: TimeAmount = .seconds(30), perMiB: TimeAmount = .seconds(4)) {
            self.base = base
            self.perMiB = perMiB
        }

        /// The time allowed for a frame of `length` bytes.
        public func allowed(for length: Int) -> TimeAmount {
            base + .nanoseconds(perMiB.nanoseconds * Int64(length) / Int64(1 << 20))
        }
    }

    private let budget: PartialFrameBudget
    private let deadline: Deadline
    private let logger: Logger
    private var held = 0
    private var timer: Scheduled<Void>?

    public init(budget: PartialFrameBudget, deadline: Deadline = Deadline(), logger: Logger) {
        self.budget = budget
        self.deadline = deadline
        self.logger = logger
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let event = event as? PartialFrame else { return context.fireUserInboundEventTriggered(event) }
        switch event {
        case .started(let length):
            guard budget.reserve(length) else {
                logger.warning("closing a connection: frames begun by all peers hold the memory budget",
                               metadata: ["announced": "\(length)", "reserved": "\(budget.reserved)", "capacity": "\(budget.capacity)"])
                context.close(promise: nil)
                return
            }
            held = length
            let allowed = deadline.allowed(for: length)
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            timer = context.eventLoop.scheduleTask(in: allowed) {
                let (handler, context) = loopBound.value
                guard handler.held > 0 else { return }
                handler.logger.notice("closing a connection: a frame begun did not arrive in time",
                                      metadata: ["announced": "\(length)", "seconds": "\(allowed.nanoseconds / 1_000_000_000)"])
                context.close(promise: nil)
            }
        case .completed:
            giveBack()
        }
    }

    public func channelInactive(context: ChannelHandlerContext) {
        giveBack()
        context.fireChannelInactive()
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        giveBack()
    }

    private func giveBack() {
        timer?.cancel()
        timer = nil
        if held > 0 { budget.release(held) }
        held = 0
    }
}
