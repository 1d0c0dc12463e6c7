/// The one-byte message tags of wire v1. They are pinned: never renumber, only add.
public enum MessageType: UInt8, Sendable, CaseIterable {
    case ping = 0x01
    case pong = 0x02
    case putBlock = 0x10
    case putBlockResult = 0x11
    case getBlock = 0x12
    case block = 0x13
    case haveBlocks = 0x14
    case haveBlocksResult = 0x15
    /// "Which blocks do you hold in the ring range (start, end]?" (for a node taking over a range), and the answer.
    case rangeBlocks = 0x16
    case rangeBlocksResult = 0x17
    case putRecord = 0x20
    case putRecordResult = 0x21
    case getRecord = 0x22
    case recordResult = 0x23
    /// Append an entry to a user's inbox, and whether it was new; list an inbox; the owner's signed removal.
    case inboxPost = 0x24
    case inboxPostResult = 0x25
    case inboxList = 0x26
    case inboxEntries = 0x27
    case inboxRemove = 0x28
    case inboxRemoveResult = 0x29
    /// "Which entries of this inbox do you hold?" (ids only, answered from the node's own store: for anti-entropy).
    case inboxIDs = 0x2A
    case inboxIDsResult = 0x2B
    /// Lease the blocks a holder's signed grant names (those held), answered with which are held; the holder's signed
    /// release, answered with how many leases it ended.
    case leaseBlocks = 0x2C
    case leaseBlocksResult = 0x2D
    case releaseBlocks = 0x2E
    case releaseBlocksResult = 0x2F
    /// A Chord message between nodes, and the answer to it (an envelope, or none for one-way messages).
    case chord = 0x30
    case chordReply = 0x31
    /// A node's view of the ring and what it holds (for `-operation status`).
    /// A put one node hands to another: as the owner (store, then replicate) or as a replica (store only).
    case placedPut = 0x32
    /// Have-blocks with a lease grant: the grant's ids are the question, those held are leased; answered with
    /// `haveBlocksResult`. A new type rather than a changed `haveBlocks`, so that older clients keep working.
    case haveBlocksLeased = 0x33
    /// Between nodes only: "which of these blocks does a holder hold a live lease on here?" (the owner asks before it
    /// deletes garbage), and the owner's deletion, which a replica applies unless it holds a live lease itself.
    case leaseState = 0x34
    case leaseStateResult = 0x35
    case deleteBlocks = 0x36
    case deleteBlocksResult = 0x37
    /// Between nodes only: "which of these blocks did you delete (hold a tombstone for)?" (anti-entropy and hand-off
    /// ask before copying, so they never bring a deleted block back).
    case tombstones = 0x38
    case tombstonesResult = 0x39
    /// "Which seq do you hold of each of these records?" (anti-entropy asks before it pushes, and pushes only the
    /// records a replica lacks or holds older); nodes that predate it answer unknownMessageType.
    case recordSeqs = 0x3A
    case recordSeqsResult = 0x3B
    case status = 0x40
    case statusResult = 0x41
    /// A client's report that a block a node sent failed the client's check (its tag or id), and whether the node,
    /// checking its own copy in full, found it damaged and dropped it. Nodes that predate it answer unknownMessageType.
    case badBlockReport = 0x42
    case badBlockReportResult = 0x43
    /// Many small blocks in one put (stored, and copied to the replicas, in one batch), answered with which were new;
    /// and a read of many blocks answered from the receiver's own store only. Nodes that predate them answer
    /// unknownMessageType, and clients and nodes then send the blocks one to a request.
    case putBlocks = 0x44
    case putBlocksResult = 0x45
    case getBlocks = 0x46
    case blocks = 0x47
    case error = 0x7F
}
