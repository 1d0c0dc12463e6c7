import BlockStore
import PeerStoreModel
import Testing

/// A record the model rejects reaches the store's callers as a `BlockStoreError` with the same code and message.
@Suite struct BlockStoreErrorTests {
    @Test(arguments: [
        (ModelError.Code.badRecord, BlockStoreError.Code.badRecord),
        (.staleRecord, .staleRecord),
        (.casFailed, .casFailed),
    ])
    func modelErrorKeepsCodeAndMessage(model: ModelError.Code, store: BlockStoreError.Code) {
        let error = BlockStoreError(ModelError(model, "record seq 4 is not greater than the stored 5"))
        #expect(error.code == store)
        #expect(error.message == "record seq 4 is not greater than the stored 5")
        #expect(error.description == error.message)
    }
}
