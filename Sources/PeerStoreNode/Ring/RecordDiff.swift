import PeerStoreModel

/// Which of its records an owner pushes to a replica in an anti-entropy round: those the replica lacks or holds at
/// a lower seq, by the seqs it told (`recordSeqs`). A replica that could not tell (a build before the question, or an
/// answer of the wrong length) gets them all, as every round pushed before.
enum RecordDiff {
    static func toPush(_ records: [SignedRecord], seqsThere: [UInt64?]?) -> [SignedRecord] {
        guard let seqsThere, seqsThere.count == records.count else { return records }
        return zip(records, seqsThere).filter { record, there in there.map { $0 < record.seq } ?? true }.map(\.0)
    }
}
