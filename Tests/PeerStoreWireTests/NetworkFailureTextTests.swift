import Glibc
import NIOCore
import PeerStoreWire
import Testing

/// What a person reads when a connection or a listener fails: one line with the address and what to check, never
/// SwiftNIO's debug description.
@Suite struct NetworkFailureTextTests {
    @Test func connectFailures() {
        #expect(NetworkFailureText.connect(IOError(errnoCode: ECONNREFUSED, reason: "connect"), to: "127.0.0.1:3199")
            == "nothing listens on 127.0.0.1:3199: is the node running there?")
        #expect(NetworkFailureText.connect(IOError(errnoCode: ECONNRESET, reason: "read"), to: "h:1").contains("reset the connection"))
        #expect(NetworkFailureText.connect(ChannelError.connectTimeout(.seconds(3)), to: "h:1").contains("no connection within 3 s"))
        #expect(NetworkFailureText.connection(ChannelError.ioOnClosedChannel, to: "h:1") == "the connection to h:1 closed: the node stopped or dropped it")
    }

    @Test func listenFailures() {
        let taken = NetworkFailureText.listen(IOError(errnoCode: EADDRINUSE, reason: "bind"), on: "127.0.0.1:3001", port: 3001)
        #expect(taken.hasPrefix("port 3001 is taken"))
        #expect(!taken.contains("errno"))
        #expect(NetworkFailureText.listen(IOError(errnoCode: EADDRNOTAVAIL, reason: "bind"), on: "10.9.9.9:1", port: 1)
            .contains("not an address of this machine"))
    }
}
