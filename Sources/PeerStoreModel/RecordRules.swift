/// The BEP 44 acceptance rules for a record put, as a pure function.
public enum RecordRules {
    public enum Decision: Equatable, Sendable {
        /// A newer record: store it.
        case store
        /// The same seq and value as stored: acknowledge, nothing to write.
        case refresh
        case reject(ModelError)
    }

    /// Decides what to do with `new` given the `stored` record for the same key and an optional compare-and-swap seq
    /// (the put succeeds only if the stored seq equals `expectedSeq`; 0 means "no record yet").
    public static func decide(new: SignedRecord, stored: SignedRecord?, expectedSeq: UInt64? = nil) -> Decision {
        guard new.salt.count <= SignedRecord.maxSaltLength, new.value.count <= SignedRecord.maxValueLength else {
            return .reject(ModelError(.badRecord, "record salt or value too long"))
        }
        guard new.hasValidSignature else {
            return .reject(ModelError(.badRecord, "record signature is not valid for its owner key"))
        }
        if let stored {
            if new.seq == stored.seq && new.value == stored.value { return .refresh }
            if let expectedSeq, expectedSeq != stored.seq {
                return .reject(ModelError(.casFailed, "record changed meanwhile: stored seq \(stored.seq), expected \(expectedSeq)"))
            }
            guard new.seq > stored.seq else {
                return .reject(ModelError(.staleRecord, "record seq \(new.seq) is not greater than the stored \(stored.seq)"))
            }
            return .store
        }
        if let expectedSeq, expectedSeq != 0 {
            return .reject(ModelError(.casFailed, "record changed meanwhile: none stored, expected seq \(expectedSeq)"))
        }
        return .store
    }
}
