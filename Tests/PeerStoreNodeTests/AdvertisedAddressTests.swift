@testable import PeerStoreNode
import PeerStoreWire
import Testing

/// What a node tells the ring it is reached at, and when a node that cannot join says so again.
@Suite struct AdvertisedAddressTests {
    func address(_ text: String) throws -> PeerAddress { try PeerAddress(parsing: text) }

    @Test func aWildcardListenerNeedsAnAdvertisedAddress() throws {
        for listen in ["0.0.0.0:3001", "[::]:3001"] {
            do {
                _ = try AdvertisedAddress.resolve(listen: try address(listen), boundPort: 3001, advertise: nil)
                Issue.record("\(listen) without -advertiseAddr was accepted")
            } catch let error as NodeError {
                #expect(error.code == .badAddress && error.message.contains("-advertiseAddr HOST:3001"), "\(error)")
                #expect(!error.message.contains("\n"))
            }
        }
        let advertised = try AdvertisedAddress.resolve(listen: try address("0.0.0.0:3001"), boundPort: 3001,
                                                       advertise: try address("10.213.0.1:3001"))
        #expect(advertised.description == "10.213.0.1:3001")
    }

    @Test func aConcreteListenAddressIsAdvertisedWithTheBoundPort() throws {
        #expect(try AdvertisedAddress.resolve(listen: try address("127.0.0.1:0"), boundPort: 40123, advertise: nil).description == "127.0.0.1:40123")
        #expect(try AdvertisedAddress.resolve(listen: try address("10.0.0.5:3001"), boundPort: 3001, advertise: nil).description == "10.0.0.5:3001")
        // Port 0 in -advertiseAddr means the bound port.
        #expect(try AdvertisedAddress.resolve(listen: try address("0.0.0.0:0"), boundPort: 40124,
                                              advertise: try address("10.0.0.5:0")).description == "10.0.0.5:40124")
    }

    @Test func neitherAWildcardNorALoopbackAddressIsAdvertisedToOtherHosts() throws {
        for (listen, advertise) in [("0.0.0.0:3001", "0.0.0.0:3001"), ("0.0.0.0:3001", "127.0.0.1:3001"), ("10.0.0.5:3001", "localhost:3001"),
                                    ("0.0.0.0:3001", "[::1]:3001")] {
            #expect(throws: NodeError.self, "\(listen) advertising \(advertise)") {
                try AdvertisedAddress.check(listen: try address(listen), advertise: try address(advertise))
            }
        }
        // A node on loopback is on a local ring: loopback is what its peers use.
        try AdvertisedAddress.check(listen: try address("127.0.0.1:3001"), advertise: try address("127.0.0.2:3001"))
        try AdvertisedAddress.check(listen: try address(":3002"), advertise: nil, initialPeer: try address(":3001"))
        // ... but not to an initial peer on another host, which would connect to itself.
        #expect(throws: NodeError.self) {
            try AdvertisedAddress.check(listen: try address(":3002"), advertise: nil, initialPeer: try address("10.213.0.1:3001"))
        }
        try AdvertisedAddress.check(listen: try address("0.0.0.0:3002"), advertise: try address("10.213.0.2:3002"),
                                    initialPeer: try address("10.213.0.1:3001"))
    }

    @Test func aJoinFailureIsSaidWhenItsReasonChangesAndAboutOnceAMinute() {
        var reports = JoinReports()
        let start = ContinuousClock.now
        // An attempt every 3 s for two minutes, all with the same reason: said at 0, 60 and 120 s.
        let said = (0...40).map { reports.shouldReport(.noAnswer, at: start + .seconds(3 * $0)) }
        #expect(said.enumerated().filter { $0.element }.map(\.offset) == [0, 20, 40], "\(said)")
        let later = start + .seconds(125)
        let then: [JoinOutcome] = [.handshakeRefused("another network key"), .handshakeRefused("another network key"), .noAnswer, .joined]
        let saidThen = then.enumerated().map { reports.shouldReport($0.element, at: later + .seconds(3 * $0.offset)) }
        #expect(saidThen == [true, false, true, false], "a changed reason is said at once, a repeated one not, joining by the ring")
    }
}
