import PeerStoreWire
import Testing

/// Which errors a client or a node may retry on another node: failures yes, a working node's answers no.
@Suite struct WireErrorTests {
    @Test func answersAreNotRetriedFailuresAre() {
        for code in [WireError.Code.casFailed, .staleRecord, .forbidden, .notFound, .badRecord, .idMismatch] {
            #expect(WireError(code, "").isAnswer, "\(code)")
        }
        for code in [WireError.Code.connectionFailed, .connectionClosed, .handshakeFailed, .storageFailure, .internalError] {
            #expect(!WireError(code, "").isAnswer, "\(code)")
        }
    }
}
