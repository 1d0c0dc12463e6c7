import NIOCore
import NIOEmbedded
import PeerStoreWire

/// The frame decoder and the server's envelope codec (`addWireHandlers`, plaintext) on an `EmbeddedChannel`, fed the
/// input in pieces: byte 0 picks the piece size (0: all at once) and, with its high bit, a small frame limit.
enum FrameTarget {
    static func run(_ data: [UInt8]) {
        guard let first = data.first else { return }
        let maxFrameSize = first & 0x80 != 0 ? 256 : Frame.defaultMaxSize
        let channel = EmbeddedChannel()
        do {
            try channel.pipeline.syncOperations.addWireHandlers(role: .server, maxFrameSize: maxFrameSize)
        } catch {
            fatalError("cannot set up the pipeline: \(error)")
        }
        feed(Array(data.dropFirst()), pieceSize: Int(first & 0x7f), into: channel)
        finish(channel)
    }

    /// Closes the channel and runs what its close left on the embedded loop (the pipeline's teardown when a handler
    /// closed it): left there, it would keep the channel alive.
    static func finish(_ channel: EmbeddedChannel) {
        _ = try? channel.finish()
        channel.embeddedEventLoop.run()
    }

    /// Writes `bytes` inbound in pieces, reading away what comes out, until the channel closes or errs.
    static func feed(_ bytes: [UInt8], pieceSize: Int, into channel: EmbeddedChannel) {
        var rest = bytes[...]
        let size = pieceSize == 0 ? max(rest.count, 1) : pieceSize
        while !rest.isEmpty, channel.isActive {
            let piece = rest.prefix(size)
            rest = rest.dropFirst(piece.count)
            do {
                try channel.writeInbound(channel.allocator.buffer(bytes: piece))
            } catch {
                return  // a decoding error closes the connection: nothing more is read
            }
            drain(channel)
        }
    }

    static func drain(_ channel: EmbeddedChannel) {
        while let _ = try? channel.readInbound(as: Envelope.self) {}
        while let _ = try? channel.readOutbound(as: ByteBuffer.self) {}
    }
}
