import NIOCore
import NIOEmbedded
import PeerStoreCrypto
import PeerStoreTestKit
import PeerStoreWire
import Testing

private typealias F = SecureFixtures

/// Seeded, bounded fuzzing: random and mutated bytes never crash, hang, pass a handshake or reach the handlers above.
@Suite("Secure channel fuzzing")
struct SecureFuzzTests {
    /// A copy of `bytes` with a few random changes: bit flips, a truncation, an extension, or a byte overwritten.
    static func mutate(_ bytes: [UInt8], _ random: inout SeededRandom) -> [UInt8] {
        var out = bytes
        repeat {
            switch Int.random(in: 0..<4, using: &random) {
            case 0 where !out.isEmpty:
                let bit = Int.random(in: 0..<out.count * 8, using: &random)
                out[bit / 8] ^= UInt8(1 << (bit % 8))
            case 1 where !out.isEmpty:
                out.removeLast(Int.random(in: 1...out.count, using: &random))
            case 2:
                out += random.bytes(Int.random(in: 1...40, using: &random))
            default:
                if !out.isEmpty { out[Int.random(in: 0..<out.count, using: &random)] = UInt8.random(in: 0...255, using: &random) }
            }
        } while out == bytes
        return out
    }

    @Test func randomAndMutatedBytesNeverPassTheServerHandshake() throws {
        var random = SeededRandom(seed: 1)
        let t = try F.handshake()
        for i in 0..<600 {
            var s = F.server()
            let input = i % 2 == 0 ? random.bytes(Int.random(in: 0...130, using: &random)) : Self.mutate(t.messages[0], &random)
            #expect(throws: HandshakeError.self) { _ = try s.receive(input) }
            #expect(s.expectedLength == 0)
        }
        for i in 0..<300 {
            var c = F.client()
            var s = F.server()
            let (m2, _) = try s.receive(c.start())
            let (m3, _) = try c.receive(m2)
            let valid = try #require(m3)
            let input = i % 2 == 0 ? random.bytes(i % 4 == 0 ? 112 : Int.random(in: 0...200, using: &random)) : Self.mutate(valid, &random)
            #expect(throws: HandshakeError.self) { _ = try s.receive(input) }
        }
    }

    @Test func randomAndMutatedBytesNeverPassTheClientHandshake() throws {
        var random = SeededRandom(seed: 2)
        for i in 0..<300 {
            var c = F.client()
            var s = F.server()
            let (m2, _) = try s.receive(c.start())
            var probe = c
            let input = i % 2 == 0 ? random.bytes(i % 4 == 0 ? 112 : Int.random(in: 0...200, using: &random)) : Self.mutate(m2, &random)
            #expect(throws: HandshakeError.self) { _ = try probe.receive(input) }
            let (m3, _) = try c.receive(m2)
            _ = try s.receive(try #require(m3))
            let m4 = random.bytes(80)
            #expect(throws: HandshakeError.self) { _ = try c.receive(i % 2 == 0 ? m4 : Self.mutate(m4, &random)) }
        }
    }

    @Test func randomAndMutatedBytesNeverOpenAsPlaintext() throws {
        var random = SeededRandom(seed: 3)
        let key = random.bytes(32), nonce = random.bytes(24)
        for round in 0..<400 {
            var sealer = BoxStreamSealer(key: key, nonce: nonce)
            var opener = BoxStreamOpener(key: key, nonce: nonce)
            let originals = (0..<3).map { _ in random.bytes(Int.random(in: 1...300, using: &random)) }
            var wire = ByteBuffer()
            for o in originals { sealer.seal(ByteBuffer(bytes: o), into: &wire) }
            let valid = Array(wire.readableBytesView)
            let input = round % 3 == 0 ? random.bytes(Int.random(in: 0...400, using: &random)) : Self.mutate(valid, &random)
            var buffer = ByteBuffer()
            var delivered: [[UInt8]] = []
            var offset = 0
            do {
                // Fed in random pieces; every call either consumes a message, waits, or throws.
                while offset < input.count {
                    let n = min(Int.random(in: 1...120, using: &random), input.count - offset)
                    buffer.writeBytes(input[offset..<offset + n])
                    offset += n
                    while let item = try opener.next(from: &buffer) {
                        guard case .plaintext(let p) = item else { Issue.record("goodbye out of nowhere"); break }
                        delivered.append(Array(p.readableBytesView))
                    }
                }
            } catch let error as WireError {
                #expect(error.code == .channelTampered)
            }
            // Whatever opened is exactly what was sealed, in order, and never all of it from a changed stream.
            #expect(delivered == Array(originals.prefix(delivered.count)), "round \(round)")
            #expect(delivered.count < originals.count || input.starts(with: valid), "round \(round)")
        }
    }

    @Test func aServerHandlerFedRandomBytesDeliversNothing() throws {
        var random = SeededRandom(seed: 4)
        for round in 0..<150 {
            let server = try SecureEnd(server: .init(networkKey: F.network, identity: F.serverIdentity))
            try server.activate()
            var input: [UInt8]
            switch round % 3 {
            case 0: input = random.bytes(Int.random(in: 0...300, using: &random))
            case 1:  // a genuine hello, then junk where message 3 belongs
                var c = F.client()
                input = c.start() + random.bytes(Int.random(in: 0...300, using: &random))
            default:  // a mutated hello followed by a client's real message 3 shape
                var c = F.client()
                input = Self.mutate(c.start(), &random) + random.bytes(112)
            }
            var offset = 0
            while offset < input.count, server.isActive {
                let n = min(Int.random(in: 1...90, using: &random), input.count - offset)
                try server.deliver(Array(input[offset..<offset + n]))
                offset += n
            }
            #expect(server.recorder.reads.isEmpty, "round \(round)")
            #expect(server.outcome.remoteKey == nil)
            let needed = round % 3 == 1 ? 64 + 112 : 64
            #expect(server.isActive == (input.count < needed), "round \(round): \(input.count) bytes")
        }
    }

    @Test func anEstablishedServerFedMutatedTrafficDeliversOnlyGenuineMessages() throws {
        var random = SeededRandom(seed: 5)
        for round in 0..<60 {
            let pair = try SecurePair.established()
            let sent = (0..<3).map { "msg \(round).\($0) " + String(repeating: "x", count: Int.random(in: 0...200, using: &random)) }
            for m in sent { pair.client.write(m) }
            let valid = try pair.client.drainOutbound()
            let input = round % 4 == 0 ? random.bytes(Int.random(in: 34...400, using: &random)) : Self.mutate(valid, &random)
            try pair.server.deliver(input)
            let got = pair.server.recorder.reads.map { String(buffer: $0) }
            #expect(got == Array(sent.prefix(got.count)), "round \(round)")
            if got.count < sent.count && input.count >= valid.count {
                #expect(!pair.server.isActive, "round \(round): a changed stream left the channel open")
            }
        }
    }
}
