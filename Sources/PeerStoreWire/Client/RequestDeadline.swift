/// How long one request may wait for its response: a base, plus an allowance for every MiB the request carries or may
/// get back. A full 8 MiB put on a slow or busy link is not cut off, and a node that stopped answering (frozen, hung,
/// cut off by the network) is noticed in bounded time.
public struct RequestDeadline: Sendable, Equatable {
    public var base: Duration
    public var perMiB: Duration

    public init(base: Duration, perMiB: Duration = .zero) {
        self.base = base
        self.perMiB = perMiB
    }

    /// A client's deadline for a request to a node: it covers the node's own deadlines towards its replicas (the owner
    /// answers a put only after copying it) and towards the owner it forwards to (`peer.forwarding`).
    public static let client = RequestDeadline(base: .seconds(12), perMiB: .milliseconds(500))
    /// A node's deadline for a request to another node (a replica's copy, a read, a Chord message).
    public static let peer = RequestDeadline(base: .seconds(5), perMiB: .milliseconds(250))

    /// The deadline for a put handed to its owner: the owner copies it to its replicas before answering.
    public var forwarding: RequestDeadline { RequestDeadline(base: base * 2, perMiB: perMiB * 2) }

    /// The deadline for a request that moves `bytes` bytes.
    public func timeout(forBytes bytes: Int) -> Duration {
        base + perMiB * (Double(max(0, bytes)) / 1_048_576)
    }

    /// The deadline for `message`: a put counts the block it carries; every other request is small (a read's answer
    /// of up to 8 MiB fits in the base on any link a ring can use).
    public func timeout(for message: WireMessage) -> Duration {
        timeout(forBytes: Self.bytesCarried(by: message))
    }

    static func bytesCarried(by message: WireMessage) -> Int {
        switch message {
        case .putBlock(_, let bytes): bytes.readableBytes
        case .putBlocks(let puts): puts.reduce(0) { $0 + $1.bytes.readableBytes }
        case .placedPut(_, let put): bytesCarried(by: put)
        default: 0
        }
    }
}

extension Duration {
    /// "2.5 s": for messages people read.
    var secondsText: String {
        let seconds = Double(components.seconds) + Double(components.attoseconds) / 1e18
        return "\((seconds * 10).rounded() / 10) s"
    }
}
