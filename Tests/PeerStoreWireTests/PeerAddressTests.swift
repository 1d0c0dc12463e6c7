import PeerStoreWire
import Testing

@Suite("Peer address parsing")
struct PeerAddressTests {
    @Test(arguments: [
        (":3001", "127.0.0.1", 3001),
        ("3001", "127.0.0.1", 3001),
        ("host:1", "host", 1),
        ("localhost:65535", "localhost", 65535),
        ("10.0.0.2:0", "10.0.0.2", 0),
        ("[::1]:2", "::1", 2),
        ("[fe80::1%eth0]:443", "fe80::1%eth0", 443),
        ("  :8080  ", "127.0.0.1", 8080),
    ])
    func parsesGoodAddresses(text: String, host: String, port: Int) throws {
        let address = try PeerAddress(parsing: text)
        #expect(address.host == host && address.port == port)
        // What is printed parses back to the same address.
        #expect(try PeerAddress(parsing: address.description) == address)
    }

    @Test func defaultHostIsUsedForABarePort() throws {
        #expect(try PeerAddress(parsing: ":7", defaultHost: "0.0.0.0") == PeerAddress(host: "0.0.0.0", port: 7))
    }

    @Test func ipv6IsPrintedInBrackets() {
        #expect(PeerAddress(host: "::1", port: 9).description == "[::1]:9")
        #expect(PeerAddress(host: "a.b", port: 9).description == "a.b:9")
    }

    @Test(arguments: [
        "", ":", "host:", "host", "host:abc", "host:65536", "host:-1", "host:99999999999999999999",
        "[::1]", "[::1]:", "[::1", "[::1]x:1", "[]:1", "::1", "a:b:1", "::1:3001", ":30 01",
    ])
    func rejectsBadAddresses(text: String) {
        expectWireError(.connectionFailed, "\(text)") { _ = try PeerAddress(parsing: text) }
    }
}
