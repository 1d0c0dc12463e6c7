import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A TCP relay on 127.0.0.1 that forwards every connection to a target port and records every byte in both directions,
/// so a test can check what actually crossed the wire. Threads pump the bytes; `stop()` closes everything.
public final class RecordingProxy: @unchecked Sendable {
    public private(set) var port: Int = 0
    private let targetPort: Int
    private let listener: Int32
    private let lock = NSLock()
    private var recorded: [UInt8] = []
    private var sockets: [Int32] = []
    private var stopped = false

    public init(targetPort: Int) throws {
        self.targetPort = targetPort
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw TestKitError("socket() failed") }
        var addr = Self.loopback(port: 0)
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 16) == 0 else { throw TestKitError("cannot listen on 127.0.0.1") }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &len) }
        }
        port = Int(UInt16(bigEndian: addr.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// Every byte relayed so far, both directions, in arrival order.
    public var bytes: [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    public func contains(_ needle: String) -> Bool {
        Data(bytes).range(of: Data(needle.utf8)) != nil
    }

    public func stop() {
        lock.lock()
        stopped = true
        let all = sockets
        lock.unlock()
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for fd in all { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    deinit { stop() }

    static func loopback(port: Int) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return addr
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { return }
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = Self.loopback(port: targetPort)
            let rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if rc != 0 {
                close(client)
                close(upstream)
                continue
            }
            lock.lock()
            let done = stopped
            sockets += [client, upstream]
            lock.unlock()
            if done { return }
            Thread.detachNewThread { [self] in pump(from: client, to: upstream) }
            Thread.detachNewThread { [self] in pump(from: upstream, to: client) }
        }
    }

    private func pump(from source: Int32, to sink: Int32) {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            lock.lock()
            recorded += buffer[0..<n]
            lock.unlock()
            var sent = 0
            while sent < n {
                let m = buffer[sent..<n].withUnsafeBytes { send(sink, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if m <= 0 { break }
                sent += m
            }
            if sent < n { break }
        }
        shutdown(sink, Int32(SHUT_WR))
    }
}
