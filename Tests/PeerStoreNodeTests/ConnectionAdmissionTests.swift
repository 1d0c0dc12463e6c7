import Testing

@testable import PeerStoreNode

/// Which connections a node keeps under a flood, without sockets: the oldest half-open ones make room for new ones, a
/// key past its cap loses its oldest, and closing gives room back.
@Suite struct ConnectionAdmissionTests {
    @Test func theOldestHandshakingConnectionsMakeRoom() {
        var admission = ConnectionAdmission<Int>(maxHandshaking: 3, maxPerKey: 8)
        #expect(admission.accepted(1) == [] && admission.accepted(2) == [] && admission.accepted(3) == [])
        #expect(admission.accepted(4) == [1])
        #expect(admission.authenticated(4, key: [9]) == [], "the newest finishes its handshake")
        #expect(admission.handshakingCount == 2)
        #expect(admission.accepted(5) == [] && admission.accepted(6) == [2])
        #expect(admission.authenticated(1, key: [9]) == [], "an evicted connection is not taken in")
        #expect(admission.count(of: [9]) == 1)
        admission.closed(3)
        #expect(admission.handshakingCount == 2)
    }

    @Test func aKeyPastItsCapLosesItsOldest() {
        var admission = ConnectionAdmission<Int>(maxHandshaking: 100, maxPerKey: 2)
        for id in 1...5 { _ = admission.accepted(id) }
        #expect(admission.authenticated(1, key: [1]) == [])
        #expect(admission.authenticated(2, key: [1]) == [])
        #expect(admission.authenticated(3, key: [2]) == [], "another key is not counted with it")
        #expect(admission.authenticated(4, key: [1]) == [1])
        #expect(admission.count(of: [1]) == 2)
        admission.closed(2)
        #expect(admission.authenticated(5, key: [1]) == [], "a closed one gave its place back")
        admission.closed(1)  // evicted already: nothing changes
        #expect(admission.count(of: [1]) == 2 && admission.count(of: [2]) == 1)
    }
}
