import NIOCore
import PeerStoreCrypto
import PeerStoreWire
import Testing

@Suite("Box stream")
struct BoxStreamTests {
    static let key = (0..<32).map { UInt8($0) }
    static let nonce = [UInt8](repeating: 0, count: 22) + [0xFF, 0xFE]

    static func ends() -> (BoxStreamSealer, BoxStreamOpener) {
        (BoxStreamSealer(key: key, nonce: nonce), BoxStreamOpener(key: key, nonce: nonce))
    }

    static func seal(_ sealer: inout BoxStreamSealer, _ bytes: [UInt8]) -> [UInt8] {
        var out = ByteBuffer()
        sealer.seal(ByteBuffer(bytes: bytes), into: &out)
        return Array(out.readableBytesView)
    }

    /// Opens everything in `wire`, fed in chunks of the given sizes (cycled).
    static func openAll(_ opener: inout BoxStreamOpener, _ wire: [UInt8], chunks: [Int] = [Int.max]) throws -> [BoxStreamOpener.Item] {
        var items: [BoxStreamOpener.Item] = []
        var buffer = ByteBuffer()
        var offset = 0, turn = 0
        while offset < wire.count {
            let n = min(chunks[turn % chunks.count], wire.count - offset)
            buffer.writeBytes(wire[offset..<offset + n])
            offset += n
            turn += 1
            while let item = try opener.next(from: &buffer) { items.append(item) }
        }
        #expect(buffer.readableBytes == 0)
        return items
    }

    static func plaintext(_ items: [BoxStreamOpener.Item]) -> [UInt8] {
        items.flatMap { item -> [UInt8] in
            if case .plaintext(let b) = item { return Array(b.readableBytesView) }
            Issue.record("unexpected \(item)")
            return []
        }
    }

    @Test(arguments: [1, 65_535, 65_536, 300_000])
    func roundTrips(size: Int) throws {
        var (sealer, opener) = Self.ends()
        let plain = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let wire = Self.seal(&sealer, plain)
        let messages = (size + BoxStream.maxBodyLength - 1) / BoxStream.maxBodyLength
        #expect(wire.count == size + messages * BoxStream.headerLength)
        let items = try Self.openAll(&opener, wire)
        #expect(items.count == messages)
        #expect(Self.plaintext(items) == plain)
    }

    @Test func headerAndBodyFollowTheDocumentedLayout() throws {
        var (sealer, _) = Self.ends()
        let plain = Array("layout".utf8)
        _ = Self.seal(&sealer, [9])
        let wire = Self.seal(&sealer, plain)
        // The second message uses nonce n + 2 (with a carry out of the last byte) for its header, n + 3 for its body.
        let headerNonce = [UInt8](repeating: 0, count: 21) + [1, 0, 0]
        let header = try SecretBox.open(Array(wire[0..<34]), nonce: headerNonce, key: Self.key)
        #expect(header.count == 18)
        #expect(header[0] == 0 && header[1] == UInt8(plain.count))
        var body = Array(wire[34...])
        try body.withUnsafeMutableBytes {
            try SecretBox.openDetached($0, tag: Array(header[2...]), nonce: [UInt8](repeating: 0, count: 21) + [1, 0, 1], key: Self.key)
        }
        #expect(body == plain)
    }

    @Test func identicalPlaintextsGiveDifferentCiphertexts() throws {
        var (sealer, opener) = Self.ends()
        let a = Self.seal(&sealer, Array("same".utf8))
        let b = Self.seal(&sealer, Array("same".utf8))
        #expect(a.count == b.count && a != b)
        #expect(Self.plaintext(try Self.openAll(&opener, a + b)) == Array("samesame".utf8))
    }

    @Test(arguments: [[1], [7, 13, 1], [33, 35], [34], [1000, 3]])
    func bytesArrivingInPiecesStillOpen(chunks: [Int]) throws {
        var (sealer, opener) = Self.ends()
        var wire = [UInt8]()
        var plain = [UInt8]()
        for size in [1, 40, 500, 3] {
            let part = (0..<size).map { UInt8(truncatingIfNeeded: $0 + size) }
            plain += part
            wire += Self.seal(&sealer, part)
        }
        let items = try Self.openAll(&opener, wire, chunks: chunks)
        #expect(items.count == 4)
        #expect(Self.plaintext(items) == plain)
    }

    @Test func aPartialMessageIsNotAnError() throws {
        var (sealer, opener) = Self.ends()
        let wire = Self.seal(&sealer, [1, 2, 3])
        for cut in [0, 1, 33, 34, 35, 36] {
            var copy = opener
            var buffer = ByteBuffer(bytes: wire.prefix(cut))
            #expect(try copy.next(from: &buffer) == nil)
        }
        var buffer = ByteBuffer(bytes: wire)
        #expect(try opener.next(from: &buffer) == .plaintext(ByteBuffer(bytes: [1, 2, 3])))
    }

    @Test func aFlippedBitInAnyHeaderOrBodyByteIsTampering() throws {
        var (sealer, opener) = Self.ends()
        let first = Self.seal(&sealer, Array("first".utf8))
        let wire = Self.seal(&sealer, (0..<40).map { UInt8($0) })
        #expect(wire.count == 74)
        #expect(Self.plaintext(try Self.openAll(&opener, first)) == Array("first".utf8))
        for index in wire.indices {
            for bit in [index % 8, 7 - index % 8] {
                var copy = opener
                var buffer = ByteBuffer(bytes: SecureFixtures.flipped(wire, bit: index * 8 + bit))
                expectWireError(.channelTampered, "byte \(index) bit \(bit)") {
                    while try copy.next(from: &buffer) != nil {}
                }
            }
        }
    }

    @Test func goodbyeIsRecognised() throws {
        var (sealer, opener) = Self.ends()
        let wire = Self.seal(&sealer, [42]) + sealer.goodbye()
        let items = try Self.openAll(&opener, wire)
        #expect(items == [.plaintext(ByteBuffer(bytes: [42])), .goodbye])
        #expect(sealer.goodbye().count == BoxStream.headerLength)
    }

    @Test func aTamperedGoodbyeIsNotAGoodbye() throws {
        var (sealer, opener) = Self.ends()
        let bye = sealer.goodbye()
        var buffer = ByteBuffer(bytes: SecureFixtures.flipped(bye, bit: 200))
        expectWireError(.channelTampered) { _ = try opener.next(from: &buffer) }
    }

    @Test func reorderedMessagesFail() throws {
        var (sealer, opener) = Self.ends()
        let a = Self.seal(&sealer, Array("one".utf8))
        let b = Self.seal(&sealer, Array("two".utf8))
        var buffer = ByteBuffer(bytes: b + a)
        expectWireError(.channelTampered) { _ = try opener.next(from: &buffer) }
    }

    @Test func replayedOrDroppedMessagesFail() throws {
        var (sealer, opener) = Self.ends()
        let a = Self.seal(&sealer, [1])
        _ = Self.seal(&sealer, [2])
        let c = Self.seal(&sealer, [3])
        var replay = opener
        expectWireError(.channelTampered) { _ = try Self.openAll(&replay, a + a) }
        expectWireError(.channelTampered) { _ = try Self.openAll(&opener, a + c) }
    }

    @Test func aHeaderAnnouncingAnEmptyBodyIsRejected() throws {
        let header = SecretBox.seal([0, 0] + [UInt8](repeating: 1, count: 16), nonce: Self.nonce, key: Self.key)
        var (_, opener) = Self.ends()
        var buffer = ByteBuffer(bytes: header)
        expectWireError(.channelTampered) { _ = try opener.next(from: &buffer) }
    }

    @Test func anotherKeyCannotOpen() throws {
        var (sealer, _) = Self.ends()
        var opener = BoxStreamOpener(key: [UInt8](repeating: 9, count: 32), nonce: Self.nonce)
        var buffer = ByteBuffer(bytes: Self.seal(&sealer, [1, 2]))
        expectWireError(.channelTampered) { _ = try opener.next(from: &buffer) }
    }
}
