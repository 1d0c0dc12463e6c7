import PeerStoreCrypto
import PeerStoreModel
import Testing

/// The BEP 44 acceptance rules, as a pure function.
@Suite struct RecordRulesTests {
    let keys = SigningKeyPair()

    @Test func validSignatureIsAccepted() throws {
        let record = try signedRecord(keys, seq: 1, value: Array("v1".utf8))
        #expect(record.hasValidSignature)
        #expect(record.key == SignedRecord.key(owner: keys.publicKey, salt: Array("profile".utf8)))
        #expect(RecordRules.decide(new: record, stored: nil) == .store)
    }

    @Test func tamperedRecordIsRejected() throws {
        let record = try signedRecord(keys, seq: 5, value: Array("value".utf8))
        var tampered = [record, record, record, record, record]
        tampered[0].value[0] ^= 1
        tampered[1].seq = 6
        tampered[2].salt = Array("other".utf8)
        tampered[3].signature[10] ^= 0x80
        tampered[4].ownerKey = SigningKeyPair().publicKey
        for bad in tampered {
            #expect(!bad.hasValidSignature)
            guard case .reject(let error) = RecordRules.decide(new: bad, stored: nil) else {
                Issue.record("a tampered record was accepted")
                continue
            }
            #expect(error.code == .badRecord)
        }
    }

    @Test func seqMustIncrease() throws {
        let stored = try signedRecord(keys, seq: 5, value: [5])
        #expect(RecordRules.decide(new: try signedRecord(keys, seq: 6, value: [6]), stored: stored) == .store)
        #expect(RecordRules.decide(new: try signedRecord(keys, seq: 500, value: [6]), stored: stored) == .store)
        for (seq, value) in [(UInt64(4), [UInt8(4)]), (0, [0]), (5, [9])] {
            guard case .reject(let error) = RecordRules.decide(new: try signedRecord(keys, seq: seq, value: value), stored: stored)
            else {
                Issue.record("seq \(seq) accepted over stored seq 5")
                continue
            }
            #expect(error.code == .staleRecord)
        }
    }

    @Test func equalSeqAndValueIsRefresh() throws {
        let stored = try signedRecord(keys, seq: 5, value: [1, 2])
        #expect(RecordRules.decide(new: stored, stored: stored) == .refresh)
        // Even with a compare-and-swap seq: a refresh changes nothing.
        #expect(RecordRules.decide(new: stored, stored: stored, expectedSeq: 5) == .refresh)
    }

    @Test func compareAndSwap() throws {
        let stored = try signedRecord(keys, seq: 5, value: [5])
        let next = try signedRecord(keys, seq: 6, value: [6])
        #expect(RecordRules.decide(new: next, stored: stored, expectedSeq: 5) == .store)
        for expected: UInt64 in [4, 6, 0] {
            guard case .reject(let error) = RecordRules.decide(new: next, stored: stored, expectedSeq: expected) else {
                Issue.record("expectedSeq \(expected) accepted with stored seq 5")
                continue
            }
            #expect(error.code == .casFailed)
        }
        // No record yet: only expectedSeq 0 (or none) passes.
        #expect(RecordRules.decide(new: next, stored: nil, expectedSeq: 0) == .store)
        guard case .reject(let error) = RecordRules.decide(new: next, stored: nil, expectedSeq: 3) else {
            Issue.record("expectedSeq 3 accepted with nothing stored")
            return
        }
        #expect(error.code == .casFailed)
    }

    @Test func oversizedRecordsAreRejected() throws {
        #expect(throws: ModelError.self) { try signedRecord(keys, seq: 1, value: [UInt8](repeating: 0, count: 4097)) }
        #expect(throws: ModelError.self) {
            try signedRecord(keys, salt: [UInt8](repeating: 0, count: 65), seq: 1, value: [])
        }
        #expect(try signedRecord(keys, salt: [UInt8](repeating: 0, count: 64), seq: 1, value: [UInt8](repeating: 0, count: 4096))
            .hasValidSignature)
        var big = try signedRecord(keys, seq: 1, value: [])
        big.value = [UInt8](repeating: 0, count: 4097)
        guard case .reject(let error) = RecordRules.decide(new: big, stored: nil) else {
            Issue.record("a 4097-byte value was accepted")
            return
        }
        #expect(error.code == .badRecord)
    }
}
