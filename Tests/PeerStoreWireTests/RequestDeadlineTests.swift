import Foundation
import NIOCore
import PeerStoreTestKit
import PeerStoreWire
import Testing

/// A listening socket nobody accepts on: the kernel completes TCP connects, nothing ever answers (a frozen node).
final class SilentListener: Sendable {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { throw TestKitError("cannot listen: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }
}

@Suite struct RequestDeadlineTests {
    @Test func aPutGetsMoreTimeForEveryMiBItCarries() {
        let deadline = RequestDeadline(base: .seconds(5), perMiB: .milliseconds(250))
        #expect(deadline.timeout(forBytes: 0) == .seconds(5))
        #expect(deadline.timeout(forBytes: 8 << 20) == .seconds(7))
        let put = WireMessage.putBlock(id: .zero, bytes: ByteBuffer(repeating: 1, count: 4 << 20))
        #expect(deadline.timeout(for: put) == .seconds(6))
        #expect(deadline.timeout(for: .placedPut(role: .replica, put: put)) == .seconds(6))
        #expect(deadline.timeout(for: .getBlock(id: .zero)) == .seconds(5))
        #expect(deadline.forwarding.timeout(for: put) == .seconds(12))
    }

    /// A client's put waits for the owner, which may be waiting out its own deadline towards a replica (or, as the node
    /// the client reached, towards the owner it forwards to): the client's deadline must be the longer one.
    @Test func theClientsDeadlineCoversTheNodesOwn() {
        for bytes in [0, 1 << 20, 8 << 20] {
            #expect(RequestDeadline.client.timeout(forBytes: bytes) > RequestDeadline.peer.forwarding.timeout(forBytes: bytes) + .seconds(1))
        }
    }

    @Test func aRequestNobodyAnswersTimesOutAndClosesTheConnection() async throws {
        let silent = try SilentListener()
        let client = try await WireClient.connect(to: PeerAddress(host: "127.0.0.1", port: silent.port), secure: nil)
        let started = ContinuousClock.now
        let error = try await withDeadline(10) { () -> WireError? in
            do {
                _ = try await client.request(.ping, timeout: .milliseconds(300))
                return nil
            } catch let error as WireError {
                return error
            }
        }
        #expect(error?.code == .timedOut, "\(String(describing: error))")
        #expect(error?.isAnswer == false)
        #expect(ContinuousClock.now - started < .seconds(5))
        // The connection is closed: the next request fails at once rather than waiting out a deadline of its own.
        let next = ContinuousClock.now
        let again = try await withDeadline(10) { () -> WireError? in
            do {
                _ = try await client.request(.ping)
                return nil
            } catch let error as WireError {
                return error
            }
        }
        #expect(again != nil && ContinuousClock.now - next < .seconds(2), "\(String(describing: again))")
        await client.close()
    }

    @Test func aHandshakeNobodyAnswersTimesOutWithinTheConnectTimeout() async throws {
        let silent = try SilentListener()
        let started = ContinuousClock.now
        let error = try await withDeadline(20) { () -> WireError? in
            do {
                let client = try await WireClient.connect(to: PeerAddress(host: "127.0.0.1", port: silent.port), secure: .openDemo(),
                                                          connectTimeout: .milliseconds(500))
                await client.close()
                return nil
            } catch let error as WireError {
                return error
            }
        }
        #expect(error?.code == .timedOut, "\(String(describing: error))")
        #expect(error.map { $0.message.contains("did not finish the secure handshake") } == true, "\(String(describing: error))")
        #expect(ContinuousClock.now - started < .seconds(4))
    }
}
