import NIOCore
import PeerStoreModel
import PeerStoreWire
import Testing

/// A real `peerstore-server` fed bytes no well-behaved client sends: it drops or answers the offender and keeps serving.
@Suite("Server under bad input", .timeLimit(.minutes(2)))
struct ServerBadInputTests {
    @Test func garbageBytesCloseThatConnectionOnly() async throws {
        let server = try RunningServer()
        defer { #expect(server.stop() == 0) }
        let client = try await server.client()
        defer { Task { await client.close() } }
        _ = try await client.ping()

        // An HTTP request read as a frame header announces ~1.2 GB: over the limit.
        let http = try RawSocket(port: server.process.port)
        try http.send(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        #expect(http.read(within: 10) == .closed)

        // A length shorter than a frame header.
        let short = try RawSocket(port: server.process.port)
        try short.send([0, 0, 0, 3, 0xFF, 0xFF, 0xFF])
        #expect(short.read(within: 10) == .closed)

        // Random bytes whose first word is over the limit, then a lot more of them.
        let random = try RawSocket(port: server.process.port)
        var rng = SystemRandomNumberGenerator()
        try random.send([0xF0] + (0..<4096).map { _ in UInt8.random(in: 0...255, using: &rng) })
        #expect(random.read(within: 10) == .closed)

        // The well-behaved connection, opened before all of this, still works.
        let bytes = Array("still here".utf8)
        #expect(try await client.putBlock(id: BlockID.of(bytes), bytes: bytes))
        #expect(try await client.getBlock(id: BlockID.of(bytes)) == bytes)
    }

    @Test func headerOverTheLimitClosesTheConnectionAndTheServerKeepsServing() async throws {
        let server = try RunningServer()
        defer { #expect(server.stop() == 0) }
        let raw = try RawSocket(port: server.process.port, secure: true)
        // 8 MiB + 1025 bytes announced: one over the default limit. No payload follows; the server must not wait for it.
        try raw.send(rawFrame(type: MessageType.putBlock.rawValue, id: 1, payload: []).enumerated().map { i, b in
            i < 4 ? withUnsafeBytes(of: UInt32(Frame.defaultMaxSize + 1).bigEndian, Array.init)[i] : b
        })
        #expect(raw.read(within: 10) == .closed)

        let client = try await server.client()
        defer { Task { await client.close() } }
        let nodeID = try await client.ping()
        #expect(nodeID != .zero)
    }

    @Test func malformedButFramedRequestGetsATypedErrorAndTheConnectionStaysUsable() async throws {
        let server = try RunningServer()
        defer { #expect(server.stop() == 0) }
        let raw = try RawSocket(port: server.process.port, secure: true)

        // A get-block whose id is 3 bytes long, a have-blocks whose count lies, and an unknown type.
        try raw.send(rawFrame(type: MessageType.getBlock.rawValue, id: 41, payload: [1, 2, 3]))
        try raw.send(rawFrame(type: MessageType.haveBlocks.rawValue, id: 42, payload: [0xFF, 0xFF, 0xFF, 0xFF]))
        try raw.send(rawFrame(type: 0x66, id: 43, payload: []))
        let errors = try raw.readFrames(count: 3, within: 10).sorted { $0.id < $1.id }
        #expect(errors.map(\.id) == [41, 42, 43])
        let codes = try errors.map { frame -> WireError.Code? in
            guard case .error(let e) = try WireMessageCodec.decode(type: frame.type, payload: ByteBuffer(bytes: frame.payload)) else { return nil }
            return e.code
        }
        #expect(codes == [.malformedMessage, .malformedMessage, .unknownMessageType])

        // The same connection then serves a well-formed request.
        try raw.send(rawFrame(type: MessageType.ping.rawValue, id: 44, payload: []))
        let pong = try raw.readFrames(count: 1, within: 10)
        #expect(pong.first?.id == 44 && pong.first?.type == MessageType.pong.rawValue)

        // And a response type sent as a request is answered with an error too.
        try raw.send(rawFrame(type: MessageType.putBlockResult.rawValue, id: 45, payload: [1]))
        let reply = try raw.readFrames(count: 1, within: 10)
        #expect(reply.first?.id == 45 && reply.first?.type == MessageType.error.rawValue)
    }
}
