import NIOCore
import NIOEmbedded
import PeerStoreCrypto
import PeerStoreTestKit
import PeerStoreWire
import Testing

private typealias F = SecureFixtures

private func failure(_ end: SecureEnd) -> Error? {
    if case .failure(let error)? = end.result { return error }
    return nil
}

@Suite("Secure channel handler")
struct SecureChannelHandlerTests {
    @Test func handshakeCompletesWithTheRightRemoteKeys() throws {
        let pair = try SecurePair()
        #expect(pair.client.result == nil && pair.server.result == nil)
        try pair.client.activate()
        #expect(try pair.pump() == 64 + 112 + 112 + 80 + 2 * (BoxStream.headerLength + 9))  // and each side's suite offer
        #expect(try pair.client.result?.get() == F.serverIdentity.publicKey)
        #expect(try pair.server.result?.get() == F.clientIdentity.publicKey)
        #expect(pair.client.outcome.remoteKey == F.serverIdentity.publicKey)
        #expect(pair.server.outcome.remoteKey == F.clientIdentity.publicKey)
        #expect(pair.client.isActive && pair.server.isActive)
        #expect(pair.client.recorder.reads.isEmpty && pair.server.recorder.reads.isEmpty)
    }

    @Test func writesBeforeTheHandshakeAreDeliveredAfterIt() throws {
        let pair = try SecurePair()
        try pair.client.activate()
        let promise = pair.client.channel.eventLoop.makePromise(of: Void.self)
        pair.client.channel.write(ByteBuffer(string: "early "), promise: promise)
        pair.client.write("bird")
        pair.server.write("server first")
        // Nothing but the hello leaves before the handshake completes, and nothing has succeeded yet.
        let hello = try pair.client.drainOutbound()
        #expect(hello.count == Handshake.clientHelloLength)
        #expect(try pair.server.drainOutbound().isEmpty)
        var done = false
        promise.futureResult.assumeIsolated().whenSuccess { done = true }
        #expect(!done)
        try pair.server.deliver(hello)
        try pair.pump()
        #expect(done)
        #expect(pair.server.recorder.text == "early bird")
        #expect(pair.client.recorder.text == "server first")
        #expect(pair.server.recorder.reads.count == 2)
    }

    @Test func queuedWritesGoBeforeWritesMadeWhenTheOutcomeSucceeds() throws {
        let pair = try SecurePair()
        try pair.client.activate()
        pair.client.write("first ")
        let channel = pair.client.channel
        pair.client.outcome.established.futureResult.assumeIsolated().whenSuccess { _ in
            channel.writeAndFlush(ByteBuffer(string: "second"), promise: nil)
        }
        try pair.pump()
        #expect(pair.server.recorder.text == "first second")
        #expect(pair.server.recorder.errors.isEmpty)
    }

    @Test func aQueuedWriteThatClosesTheChannelLeavesAConsistentOutcome() throws {
        let pair = try SecurePair()
        try pair.client.activate()
        let channel = pair.client.channel
        let promise = channel.eventLoop.makePromise(of: Void.self)
        promise.futureResult.assumeIsolated().whenSuccess { channel.close(promise: nil) }
        channel.writeAndFlush(ByteBuffer(string: "bye"), promise: promise)
        try pair.pump()
        #expect(!pair.client.isActive)
        #expect(pair.server.recorder.text == "bye")
        // Closed before the outcome was published: it failed, and says so everywhere.
        #expect(failure(pair.client) != nil)
        #expect(pair.client.outcome.remoteKey == nil)
    }

    @Test func synchronousRepliesInsideChannelReadNeverBreakTheStream() throws {
        let pair = try SecurePair.established()
        pair.server.recorder.onRead = { context, buffer in
            context.writeAndFlush(NIOAny(ByteBuffer(string: "re:" + String(buffer: buffer) + ";")), promise: nil)
        }
        var expected = ""
        // Many messages in one inbound buffer (all replies made while the opener is mid-buffer), then one at a time.
        for i in 0..<40 {
            pair.client.write("m\(i)", flush: false)
            expected += "re:m\(i);"
        }
        pair.client.channel.flush()
        try pair.pump()
        for i in 40..<80 {
            pair.client.write("m\(i)")
            expected += "re:m\(i);"
            try pair.pump()
        }
        #expect(pair.server.recorder.reads.count == 80)
        #expect(pair.client.recorder.text == expected)
        #expect(pair.client.recorder.errors.isEmpty && pair.server.recorder.errors.isEmpty)
        #expect(pair.client.isActive && pair.server.isActive)
    }

    @Test(arguments: [0, 17, 33, 34, 36, 38])
    func aFlippedEstablishedByteClosesWithoutDelivering(byte: Int) throws {
        let pair = try SecurePair.established()
        pair.client.write("hello")
        var wire = try pair.client.drainOutbound()
        try #require(wire.count == 34 + 5)
        wire[byte] ^= 0x10
        try pair.server.deliver(wire)
        #expect(pair.server.recorder.reads.isEmpty)
        #expect(!pair.server.isActive && pair.server.recorder.inactive)
        let error = try #require(pair.server.recorder.errors.first as? WireError)
        #expect(error.code == .channelTampered)
        // The outcome had succeeded and stays so; a write now fails instead of vanishing.
        #expect(pair.server.outcome.remoteKey == F.clientIdentity.publicKey)
        let promise = pair.server.channel.eventLoop.makePromise(of: Void.self)
        pair.server.channel.writeAndFlush(ByteBuffer(string: "x"), promise: promise)
        var failed = false
        promise.futureResult.assumeIsolated().whenFailure { _ in failed = true }
        #expect(failed)
    }

    @Test func theHandshakeTimeoutClosesAStalledChannel() throws {
        let loop = EmbeddedEventLoop()
        let settings = SecureChannelSettings(networkKey: F.network, identity: F.serverIdentity, handshakeTimeout: .seconds(5))
        let server = try SecureEnd(server: settings, loop: loop)
        let client = try SecureEnd(client: .init(networkKey: F.network, identity: F.clientIdentity, handshakeTimeout: .seconds(5)),
                                   loop: loop)
        try server.activate()
        try client.activate()
        try server.deliver(try client.drainOutbound())  // the server answers; the client never hears it
        loop.advanceTime(by: .seconds(4))
        #expect(server.isActive && client.isActive)
        #expect(server.result == nil && client.result == nil)
        loop.advanceTime(by: .seconds(2))
        #expect(!server.isActive && !client.isActive)
        #expect((failure(server) as? HandshakeError)?.code == .timedOut)
        #expect((failure(client) as? HandshakeError)?.code == .timedOut)
    }

    @Test func anEstablishedChannelIsNotTimedOut() throws {
        let pair = try SecurePair.established()
        pair.client.channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        pair.server.channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(pair.client.isActive && pair.server.isActive)
        pair.client.write("still here")
        try pair.pump()
        #expect(pair.server.recorder.text == "still here")
    }

    @Test func garbageInsteadOfAHelloClosesTheServerAt64Bytes() throws {
        let server = try SecureEnd(server: .init(networkKey: F.network, identity: F.serverIdentity))
        try server.activate()
        var random = SeededRandom(seed: 64)
        let garbage = random.bytes(100)
        try server.deliver(Array(garbage[0..<40]))
        try server.deliver(Array(garbage[40..<63]))
        #expect(server.isActive)
        #expect(try server.drainOutbound().isEmpty)
        try server.deliver(Array(garbage[63..<64]))
        #expect(!server.isActive)
        #expect(try server.drainOutbound().isEmpty)
        #expect((failure(server) as? HandshakeError)?.code == .wrongNetworkKey)
        #expect(server.recorder.reads.isEmpty)
    }

    @Test func wrongNetworkKeyOrChangedServerKeyFailsTheOutcome() throws {
        let other = try SecurePair(client: .init(networkKey: F.otherNetwork, identity: F.clientIdentity))
        try other.client.activate()
        try other.pump()
        #expect(!other.server.isActive)
        #expect((failure(other.server) as? HandshakeError)?.code == .wrongNetworkKey)

        let pinned = try SecurePair(client: .init(networkKey: F.network, identity: F.clientIdentity,
                                                  expectedServerKey: SigningKeyPair().publicKey))
        try pinned.client.activate()
        try pinned.pump()
        #expect(!pinned.client.isActive)
        #expect((failure(pinned.client) as? HandshakeError)?.code == .serverKeyChanged)
    }

    @Test func aServerThatDoesNotAllowTheClientCloses() throws {
        let pair = try SecurePair(server: .init(networkKey: F.network, identity: F.serverIdentity, allow: { _ in false }))
        try pair.client.activate()
        pair.client.write("let me in")
        try pair.pump()
        #expect(!pair.server.isActive)
        #expect((failure(pair.server) as? HandshakeError)?.code == .notAllowed)
        #expect(pair.server.recorder.reads.isEmpty)
        #expect(pair.client.result == nil)  // still waiting: the server sent no accept
        try pair.client.channel.close().wait()
        #expect(failure(pair.client) != nil)
    }

    @Test func closeSendsAGoodbyeThatClosesTheOtherSideCleanly() throws {
        let pair = try SecurePair.established()
        pair.client.write("last words")
        try pair.client.channel.close().wait()
        #expect(!pair.client.isActive)
        let wire = try pair.client.drainOutbound()
        #expect(wire.count == (34 + 10) + 34)
        try pair.server.deliver(wire)
        #expect(pair.server.recorder.text == "last words")
        #expect(!pair.server.isActive && pair.server.recorder.inactive)
        #expect(pair.server.recorder.errors.isEmpty)
        // The server closes without a goodbye of its own (the client already left).
        #expect(try pair.server.drainOutbound().isEmpty)
    }
}
