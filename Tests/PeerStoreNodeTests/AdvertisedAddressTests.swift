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
    }

    @Test func aJoinFailureIsSaidWhenItsReasonChangesAndAboutOnceAMinute() {
        var reports = JoinReports(attemptInterval: .seconds(3))
        #expect(reports.every == 20)
        let outcomes: [JoinOutcome] = [.noAnswer] + Array(repeating: .noAnswer, count: 40)
            + [.handshakeRefused("another network key"), .handshakeRefused("another network key"), .noAnswer, .joined]
        let said = outcomes.map { reports.shouldReport($0) }
        #expect(said[0], "the first failure is said at once")
        #expect(said[1...40].enumerated().filter { $0.element }.map(\.offset) == [19, 39], "\(said)")
        #expect(said[41] && !said[42] && said[43], "a changed reason is said at once, a repeated one not")
        #expect(!said[44], "joining is said by the ring")
    }
}
