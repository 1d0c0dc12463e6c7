@testable import PeerStoreNode
import Testing

/// The server's phases and open connections, without sockets.
@Suite struct ServerStateTests {
    @Test func servesThenDrainsThenStops() {
        var state = ServerState<Int, String>()
        #expect(state.phase == .serving)
        let first = state.register(1, "a"), second = state.register(2, "b")
        #expect(first && second)
        state.remove(1)
        let open = state.drain()
        #expect(open == ["b"])
        #expect(state.phase == .draining)
        // A connection accepted while draining is refused, not kept.
        let late = state.register(3, "c")
        #expect(!late)
        #expect(state.open.count == 1)
        state.remove(2)
        let none = state.drain()
        #expect(none.isEmpty)
        state.stop()
        #expect(state.phase == .stopped)
        let afterStop = state.register(4, "d")
        #expect(!afterStop)
    }
}
