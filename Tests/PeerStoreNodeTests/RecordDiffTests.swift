import PeerStoreCrypto
import PeerStoreModel
import Testing

@testable import PeerStoreNode

/// What anti-entropy pushes of its records: only those a replica lacks or holds older; all of them when it cannot tell.
@Suite struct RecordDiffTests {
    @Test func onlyMissingAndOlderRecordsArePushed() throws {
        let keys = SigningKeyPair()
        let records = try (0..<4).map { try SignedRecord(signing: [UInt8($0)], salt: [UInt8($0)], seq: 5, with: keys) }
        let pushed = RecordDiff.toPush(records, seqsThere: [nil, 4, 5, 6])
        #expect(pushed.map(\.salt) == [[0], [1]], "missing, and older; not the same seq or newer")
        #expect(RecordDiff.toPush(records, seqsThere: nil).count == 4, "a replica that could not tell gets them all")
        #expect(RecordDiff.toPush(records, seqsThere: [nil]).count == 4, "nor one whose answer does not fit")
        #expect(RecordDiff.toPush([], seqsThere: []).isEmpty)
    }
}
