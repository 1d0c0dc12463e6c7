import Foundation
import NIOCore
import PeerStoreCrypto
import NIOConcurrencyHelpers
import PeerStoreTestKit
import PeerStoreWire
#if canImport(Glibc)
import Glibc
#endif

/// A started server in a temporary directory; `stop()` returns the exit status and removes the directory.
final class RunningServer {
    let dir: TemporaryDirectory
    let process: ServerProcess

    init() throws {
        dir = try TemporaryDirectory(prefix: "peerstore-server")
        do {
            process = try ServerProcess(dataPath: dir.sub("node"), extraArguments: ["-handshakeTimeout", "2"])
        } catch {
            dir.remove()
            throw error
        }
    }

    var address: PeerAddress { PeerAddress(host: "127.0.0.1", port: process.port) }

    func client() async throws -> WireClient { try await WireClient.connect(to: address, secure: .openDemo(), connectTimeout: .seconds(5)) }

    @discardableResult
    func stop() -> Int32 {
        let status = process.stop(timeout: 20)
        dir.remove()
        return status
    }

    var log: String { (try? String(contentsOfFile: process.logPath, encoding: .utf8)) ?? "" }
}

/// A plain blocking POSIX TCP socket to 127.0.0.1, for sending bytes no well-behaved client would send. With
/// `secure`, it first completes the secure handshake (open demo key) with the pure state machine, then seals what it
/// sends and opens what it reads, so frame-level bad input reaches the server's frame decoder.
final class RawSocket {
    let fd: Int32
    private var sealer: BoxStreamSealer?
    private var opener: BoxStreamOpener?
    private var sealedInbound = ByteBuffer()

    convenience init(port: Int, secure: Bool) throws {
        try self.init(port: port)
        guard secure else { return }
        var handshake = ClientHandshake(networkKey: .openDemo, identity: SigningKeyPair(), expectedServerKey: nil)
        try send(handshake.start())
        var reply = try readExactly(Handshake.serverHelloLength, within: 10)
        guard let auth = try handshake.receive(reply).send else { throw TestKitError("handshake: no authentication to send") }
        try send(auth)
        reply = try readExactly(Handshake.serverAcceptLength, within: 10)
        guard let keys = try handshake.receive(reply).session else { throw TestKitError("handshake did not finish") }
        sealer = BoxStreamSealer(key: keys.sendKey, nonce: keys.sendNonce)
        opener = BoxStreamOpener(key: keys.receiveKey, nonce: keys.receiveNonce)
        // The suite offers, as SecureChannelHandler exchanges them: ours out, theirs in, then both switch.
        let mine = StreamSuite.preference()
        try send(SuiteOffer(suites: mine).encoded)
        guard case .bytes(let offer) = read(within: 10), let theirs = SuiteOffer(decoding: offer),
              let suite = StreamSuite.agreed(client: mine, server: theirs.suites) else { throw TestKitError("no suite offer from the server") }
        sealer!.use(suite)
        opener!.use(suite)
    }

    private func readExactly(_ count: Int, within seconds: Double) throws -> [UInt8] {
        var out: [UInt8] = []
        let deadline = Date().addingTimeInterval(seconds)
        while out.count < count {
            switch readRaw(within: deadline.timeIntervalSinceNow) {
            case .bytes(let b): out += b
            case .closed: throw TestKitError("closed during the handshake")
            case .timedOut: throw TimedOut(seconds: seconds)
            }
        }
        sealedInbound.writeBytes(out[count...])  // what follows (the server's suite offer) is read later
        return Array(out[..<count])
    }

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestKitError("socket() failed: errno \(errno)") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            close(fd)
            throw TestKitError("connect to 127.0.0.1:\(port) failed: errno \(errno)")
        }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ plain: [UInt8]) throws {
        var bytes = plain
        if sealer != nil {
            var out = ByteBuffer()
            sealer!.seal(ByteBuffer(bytes: plain), into: &out)
            bytes = Array(out.readableBytesView)
        }
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw TestKitError("send failed: errno \(errno)") }
            sent += n
        }
    }

    enum ReadResult: Equatable {
        case bytes([UInt8])
        case closed
        case timedOut
    }

    /// Waits up to `seconds` for some (opened, when secure) bytes or for the peer to close (EOF or reset).
    func read(within seconds: Double) -> ReadResult {
        guard opener != nil else { return readRaw(within: seconds) }
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            do {
                if case .plaintext(let plain)? = try opener!.next(from: &sealedInbound) { return .bytes(Array(plain.readableBytesView)) }
            } catch {
                return .closed
            }
            switch readRaw(within: deadline.timeIntervalSinceNow) {
            case .bytes(let b): sealedInbound.writeBytes(b)
            case .closed: return .closed
            case .timedOut: return .timedOut
            }
        }
    }

    private func readRaw(within seconds: Double) -> ReadResult {
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while Date() < deadline {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { return .bytes(Array(buffer[..<n])) }
            if n == 0 { return .closed }
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
            return .closed  // ECONNRESET and friends: the server dropped us.
        }
        return .timedOut
    }

    /// Reads until at least one whole frame is in, within `seconds`; returns the frames read.
    func readFrames(count: Int, within seconds: Double) throws -> [(type: UInt8, id: UInt64, payload: [UInt8])] {
        let deadline = Date().addingTimeInterval(seconds)
        var bytes: [UInt8] = []
        var frames: [(type: UInt8, id: UInt64, payload: [UInt8])] = []
        while frames.count < count {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw TimedOut(seconds: seconds) }
            switch read(within: left) {
            case .bytes(let chunk): bytes += chunk
            case .closed: throw TestKitError("connection closed after \(frames.count) frames")
            case .timedOut: throw TimedOut(seconds: seconds)
            }
            while bytes.count >= 13 {
                let length = bytes[0..<4].reduce(0) { $0 << 8 | Int($1) }
                guard bytes.count >= 4 + length else { break }
                let id = bytes[5..<13].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                frames.append((bytes[4], id, Array(bytes[13..<(4 + length)])))
                bytes.removeFirst(4 + length)
            }
        }
        return frames
    }
}

/// The bytes of one frame of wire v1.
func rawFrame(type: UInt8, id: UInt64, payload: [UInt8]) -> [UInt8] {
    withUnsafeBytes(of: UInt32(9 + payload.count).bigEndian, Array.init) + [type]
        + withUnsafeBytes(of: id.bigEndian, Array.init) + payload
}
