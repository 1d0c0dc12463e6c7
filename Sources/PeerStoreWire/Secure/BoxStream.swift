import NIOCore
import PeerStoreCrypto

/// Box-stream framing after the handshake (as in Secure Scuttlebutt, with bodies up to 64 KiB - 1):
///
/// ```
/// header  34 bytes   box(key, nonce n)(bodyLength u16 BE | bodyTag 16)
/// body    bodyLength box_detached(key, nonce n + 1)(plaintext)     (its tag travels in the header)
/// ```
/// The nonce is a 24-byte big-endian counter that grows by 2 per message, so no nonce ever repeats under one key.
/// Lengths are encrypted too. A header of 18 zero bytes says goodbye (a clean close); any failed MAC is fatal.
/// The box is secretbox until both sides have offered their suites, then the agreed one (`StreamSuite`,
/// `BoxStreamCipher`); the counter goes on across the switch.
public enum BoxStream {
    public static let headerLength = 34
    public static let maxBodyLength = 65_535
    static let goodbyePlaintext = [UInt8](repeating: 0, count: 18)

    static func increment(_ nonce: inout [UInt8]) {
        var i = nonce.count - 1
        while i >= 0 {
            nonce[i] &+= 1
            if nonce[i] != 0 { return }
            i -= 1
        }
    }
}

/// Seals outbound plaintext into box-stream messages.
public struct BoxStreamSealer: Sendable {
    let key: [UInt8]
    var nonce: [UInt8]
    var cipher: BoxStreamCipher

    public init(key: [UInt8], nonce: [UInt8], suite: StreamSuite = .secretBox) {
        self.key = key
        self.nonce = nonce
        cipher = BoxStreamCipher(suite: suite, key: key, sealing: true)
    }

    public var suite: StreamSuite { cipher.suite }

    /// Seals every later message with `suite` (the nonce counter goes on).
    public mutating func use(_ suite: StreamSuite) {
        cipher = BoxStreamCipher(suite: suite, key: key, sealing: true)
    }

    /// Appends the messages for `plaintext` (split into bodies of at most 64 KiB - 1) to `out`. Each body is encrypted
    /// straight from `plaintext` into its place in `out` (no copy first).
    public mutating func seal(_ plaintext: ByteBuffer, into out: inout ByteBuffer) {
        var rest = plaintext
        out.reserveCapacity(minimumWritableBytes: rest.readableBytes + (rest.readableBytes / BoxStream.maxBodyLength + 1) * BoxStream.headerLength)
        while rest.readableBytes > 0 {
            let n = min(rest.readableBytes, BoxStream.maxBodyLength)
            let body = rest.readSlice(length: n)!
            let headerAt = out.writerIndex
            out.moveWriterIndex(forwardBy: BoxStream.headerLength)
            let bodyAt = out.writerIndex
            out.moveWriterIndex(forwardBy: n)
            var bodyNonce = nonce
            BoxStream.increment(&bodyNonce)
            let start = bodyAt - out.readerIndex
            let tag = body.withUnsafeReadableBytes { plain in
                out.withUnsafeMutableReadableBytes { all in
                    cipher.sealDetached(plain, into: UnsafeMutableRawBufferPointer(rebasing: all[start..<(start + n)]), nonce: bodyNonce)
                }
            }
            let header = cipher.seal([UInt8(n >> 8), UInt8(n & 0xff)] + tag, nonce: nonce)
            out.setBytes(header, at: headerAt)
            BoxStream.increment(&nonce)
            BoxStream.increment(&nonce)
        }
    }

    /// The goodbye message that ends the stream cleanly.
    public mutating func goodbye() -> [UInt8] {
        let header = cipher.seal(BoxStream.goodbyePlaintext, nonce: nonce)
        BoxStream.increment(&nonce)
        BoxStream.increment(&nonce)
        return header
    }
}

/// Opens inbound box-stream messages.
public struct BoxStreamOpener: Sendable {
    public enum Item: Equatable, Sendable {
        case plaintext(ByteBuffer)
        case goodbye
    }

    let key: [UInt8]
    var nonce: [UInt8]
    var cipher: BoxStreamCipher
    /// The body length and tag of a header already opened, while its body is still arriving.
    var pendingBody: (length: Int, tag: [UInt8])?

    public init(key: [UInt8], nonce: [UInt8], suite: StreamSuite = .secretBox) {
        self.key = key
        self.nonce = nonce
        cipher = BoxStreamCipher(suite: suite, key: key, sealing: false)
    }

    public var suite: StreamSuite { cipher.suite }

    /// Opens every later message with `suite` (the nonce counter goes on).
    public mutating func use(_ suite: StreamSuite) {
        cipher = BoxStreamCipher(suite: suite, key: key, sealing: false)
    }

    /// Opens the next whole message in `buffer`, consuming it; nil if more bytes are needed.
    /// Throws `channelTampered` when a MAC fails.
    public mutating func next(from buffer: inout ByteBuffer) throws -> Item? {
        if pendingBody == nil {
            guard let header = buffer.readBytes(length: BoxStream.headerLength) else { return nil }
            guard let plain = try? cipher.open(header, nonce: nonce) else {
                throw WireError(.channelTampered, "a box-stream header failed its authentication")
            }
            if plain == BoxStream.goodbyePlaintext { return .goodbye }
            let length = Int(plain[0]) << 8 | Int(plain[1])
            guard length > 0 else { throw WireError(.channelTampered, "a box-stream header announced an empty body") }
            pendingBody = (length, Array(plain[2...]))
        }
        let (length, tag) = pendingBody!
        guard buffer.readableBytes >= length else { return nil }
        // Decrypted straight from the inbound bytes into the body's own storage, which is handed up as it is.
        let sealed = buffer.readSlice(length: length)!
        var body = ByteBufferAllocator().buffer(capacity: length)
        var bodyNonce = nonce
        BoxStream.increment(&bodyNonce)
        do {
            try sealed.withUnsafeReadableBytes { box in
                _ = try body.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { out in
                    try cipher.openDetached(box, into: UnsafeMutableRawBufferPointer(rebasing: out[0..<length]), tag: tag, nonce: bodyNonce)
                    return length
                }
            }
        } catch {
            throw WireError(.channelTampered, "a box-stream body failed its authentication")
        }
        pendingBody = nil
        BoxStream.increment(&nonce)
        BoxStream.increment(&nonce)
        return .plaintext(body)
    }
}
