import PeerStoreCrypto
import PeerStoreModel
import Testing

@Suite struct RecordCodingTests {
    let keys = SigningKeyPair()

    @Test func encodingRoundTrip() throws {
        for (salt, value) in [([UInt8](), [UInt8]()), (Array("s".utf8), [1, 2, 3]),
                              ([UInt8](repeating: 7, count: 64), SecureRandom.bytes(4096))] {
            let record = try signedRecord(keys, salt: salt, seq: .max - 1, value: value)
            let bytes = record.encoded()
            #expect(bytes.count == 1 + 32 + 1 + salt.count + 8 + 2 + value.count + 64)
            let decoded = try SignedRecord.decode(bytes)
            #expect(decoded == record)
            #expect(decoded.hasValidSignature)
        }
    }

    /// Every truncation of a valid encoding throws (and never crashes).
    @Test func truncatedInputThrows() throws {
        let bytes = try signedRecord(keys, seq: 9, value: Array("a value".utf8)).encoded()
        for length in 0..<bytes.count {
            #expect(throws: ModelError.self, "length \(length)") { try SignedRecord.decode(Array(bytes.prefix(length))) }
        }
        #expect(throws: ModelError.self) { try SignedRecord.decode(bytes + [0]) }
    }

    @Test func overlongLengthsThrow() throws {
        let record = try signedRecord(keys, salt: [1, 2], seq: 9, value: [3, 4, 5])
        let bytes = record.encoded()
        let saltLengthAt = 1 + 32
        let valueLengthAt = saltLengthAt + 1 + 2 + 8
        #expect(bytes[saltLengthAt] == 2)
        #expect(bytes[valueLengthAt] == 0 && bytes[valueLengthAt + 1] == 3)
        for saltLength: UInt8 in [65, 200, 255] {
            var bad = bytes
            bad[saltLengthAt] = saltLength
            bad += [UInt8](repeating: 0, count: 400)
            #expect(throws: ModelError.self) { try SignedRecord.decode(bad) }
        }
        for valueLength: UInt16 in [4097, 0xffff, 100] {
            var bad = bytes
            bad[valueLengthAt] = UInt8(valueLength >> 8)
            bad[valueLengthAt + 1] = UInt8(valueLength & 0xff)
            #expect(throws: ModelError.self) { try SignedRecord.decode(bad) }
        }
        var badVersion = bytes
        badVersion[0] = 2
        #expect(throws: ModelError.self) { try SignedRecord.decode(badVersion) }
    }

    /// Random bytes never crash the decoder.
    @Test func randomInputNeverCrashes() {
        for _ in 0..<2000 {
            var bytes = SecureRandom.bytes(Int.random(in: 0...300))
            if !bytes.isEmpty && Bool.random() { bytes[0] = SignedRecord.formatVersion }
            _ = try? SignedRecord.decode(bytes)
        }
    }
}
