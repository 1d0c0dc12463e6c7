import Foundation
import Logging
import NIOCore
import NIOEmbedded
import PeerStoreCrypto
import PeerStoreTestKit
import PeerStoreWire
import Testing


enum SecureFixtures {
    static let network = try! NetworkKey(bytes: [UInt8](repeating: 0x4B, count: 32))
    static let otherNetwork = try! NetworkKey(bytes: [UInt8](repeating: 0x4C, count: 32))
    static let clientIdentity = try! SigningKeyPair(seed: [UInt8](repeating: 1, count: 32))
    static let serverIdentity = try! SigningKeyPair(seed: [UInt8](repeating: 2, count: 32))
    static let quiet = Logger(label: "peerstore.test.secure", factory: { _ in SwiftLogNoOpLogHandler() })

    static func client(expecting key: [UInt8]? = nil, network: NetworkKey = network) -> ClientHandshake {
        ClientHandshake(networkKey: network, identity: clientIdentity, expectedServerKey: key)
    }

    static func server(network: NetworkKey = network) -> ServerHandshake {
        ServerHandshake(networkKey: network, identity: serverIdentity)
    }

    /// One complete handshake: the four messages and both sides' keys.
    struct Transcript {
        var messages: [[UInt8]]
        var client: SessionKeys
        var server: SessionKeys
    }

    static func handshake() throws -> Transcript {
        var c = client()
        var s = server()
        let m1 = c.start()
        let (m2, none) = try s.receive(m1)
        #expect(none == nil)
        let (m3, early) = try c.receive(m2)
        #expect(early == nil)
        let (m4, serverKeys) = try s.receive(try #require(m3))
        let (nothing, clientKeys) = try c.receive(m4)
        #expect(nothing == nil)
        return Transcript(messages: [m1, m2, try #require(m3), m4], client: try #require(clientKeys), server: try #require(serverKeys))
    }

    static func flipped(_ bytes: [UInt8], bit: Int) -> [UInt8] {
        var out = bytes
        out[bit / 8] ^= UInt8(1 << (bit % 8))
        return out
    }
}

/// Sits above a SecureChannelHandler and records everything that reaches it, passing nothing on.
final class Recorder: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    var reads: [ByteBuffer] = []
    var errors: [Error] = []
    var inactive = false
    /// Called for each read; may write a reply on the context synchronously.
    var onRead: ((ChannelHandlerContext, ByteBuffer) -> Void)?

    var text: String { reads.map { String(buffer: $0) }.joined() }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        reads.append(buffer)
        onRead?(context, buffer)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) { errors.append(error) }

    func channelInactive(context: ChannelHandlerContext) { inactive = true }
}

/// One end of a secure connection in an EmbeddedChannel.
final class SecureEnd {
    let channel: EmbeddedChannel
    let recorder = Recorder()
    let outcome: SecureChannelOutcome

    init(client settings: SecureChannelSettings, loop: EmbeddedEventLoop = EmbeddedEventLoop()) throws {
        channel = EmbeddedChannel(loop: loop)
        outcome = SecureChannelOutcome(eventLoop: loop)
        let handler = SecureChannelHandler(client: settings, outcome: outcome, logger: SecureFixtures.quiet)
        try channel.pipeline.syncOperations.addHandlers([handler, recorder])
    }

    init(server settings: SecureChannelSettings, loop: EmbeddedEventLoop = EmbeddedEventLoop()) throws {
        channel = EmbeddedChannel(loop: loop)
        outcome = SecureChannelOutcome(eventLoop: loop)
        let handler = SecureChannelHandler(server: settings, outcome: outcome, logger: SecureFixtures.quiet)
        try channel.pipeline.syncOperations.addHandlers([handler, recorder])
    }

    func activate() throws {
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 3001)).wait()
    }

    var isActive: Bool { channel.isActive }

    /// Bytes this end has flushed towards the network.
    func drainOutbound() throws -> [UInt8] {
        var out = [UInt8]()
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { out += Array(buffer.readableBytesView) }
        return out
    }

    func deliver(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        try channel.writeInbound(ByteBuffer(bytes: bytes))
    }

    func write(_ text: String, flush: Bool = true) {
        let buffer = ByteBuffer(string: text)
        if flush { channel.writeAndFlush(buffer, promise: nil) } else { channel.write(buffer, promise: nil) }
    }

    /// The outcome so far: nil while pending.
    var result: Result<[UInt8], Error>? {
        let box = ResultBox()
        outcome.established.futureResult.whenComplete { box.set($0) }
        channel.embeddedEventLoop.run()
        return box.get()
    }
}

final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<[UInt8], Error>?
    func set(_ result: Result<[UInt8], Error>) { lock.withLock { value = result } }
    func get() -> Result<[UInt8], Error>? { lock.withLock { value } }
}

/// A client and a server end joined by shuttling bytes by hand.
struct SecurePair {
    let client: SecureEnd
    let server: SecureEnd

    init(client clientSettings: SecureChannelSettings = .init(networkKey: SecureFixtures.network, identity: SecureFixtures.clientIdentity),
         server serverSettings: SecureChannelSettings = .init(networkKey: SecureFixtures.network, identity: SecureFixtures.serverIdentity))
        throws
    {
        client = try SecureEnd(client: clientSettings)
        server = try SecureEnd(server: serverSettings)
        try server.activate()
    }

    /// Moves bytes both ways until neither side has anything more to say; returns how many bytes moved.
    @discardableResult
    func pump() throws -> Int {
        var total = 0
        while true {
            let toServer = try client.drainOutbound()
            if server.isActive { try server.deliver(toServer) }
            let toClient = try server.drainOutbound()
            if client.isActive { try client.deliver(toClient) }
            if toServer.isEmpty && toClient.isEmpty { return total }
            total += toServer.count + toClient.count
        }
    }

    static func established() throws -> SecurePair {
        let pair = try SecurePair()
        try pair.client.activate()
        try pair.pump()
        #expect(pair.client.outcome.remoteKey == SecureFixtures.serverIdentity.publicKey)
        #expect(pair.server.outcome.remoteKey == SecureFixtures.clientIdentity.publicKey)
        return pair
    }
}
