extension PruneRunner {
    /// What a prune found and did (with `dryRun`, what it would release: nothing was renewed, released or published).
    public struct Outcome: Sendable, Equatable {
        public var dryRun = false
        /// T0: when the heads were read (unix seconds), the horizon of the releases.
        public var horizon: UInt64 = 0
        /// Backup heads, sync heads and received shares read.
        public var heads = 0
        public var syncHeads = 0
        public var shares = 0
        /// Retained snapshots walked (every index's, and the sync heads'), and forgotten snapshots walked whole.
        public var retainedSnapshots = 0
        public var forgottenSnapshots = 0
        /// Blocks in R (what is kept and renewed).
        public var retainedBlocks = 0
        /// Blocks of R the ring does not hold (should be 0: `check` says more).
        public var retainedMissing = 0
        /// Blocks only forgotten snapshots reference (F minus R): released (a dry run: would be). When some chunk
        /// stays leased, only the chunks: the trees, manifests and snapshots wait for the prune that finishes.
        public var releasedBlocks = 0
        /// Plaintext bytes of the released chunks (`ChunkRef.length`): an estimate of the file data the nodes will
        /// free after their grace period, before compression.
        public var releasedBytes: UInt64 = 0
        /// Released blocks whose lease stays (renewed within B of the horizon: a backup prune could not see).
        public var stillHeld = 0
        /// Forgotten snapshots that could not be read (what is under them is not released: a leak, not a loss).
        public var unreadableForgotten = 0
        /// Forgotten snapshots that a retained one or a sync head still names (kept on the forgotten list).
        public var forgottenStillReferenced = 0
        /// Received shares whose blocks could not be read (the sender's blocks: skipped, not renewed).
        public var unreadableShares = 0
        /// Forgotten snapshots taken off their history's forgotten list (their blocks released).
        public var droppedSnapshots = 0
        /// Superseded index and sync-state pieces of this home whose release ended its last lease.
        public var retiredReleased = 0
        /// One line each, for the user.
        public var notices: [String] = []

        public init() {}
    }
}
