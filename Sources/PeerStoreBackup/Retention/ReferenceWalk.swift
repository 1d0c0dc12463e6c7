import ChordRing

/// Walks what snapshots and file contents reference (snapshot block, trees, manifests, chunk ids) into sets of block
/// ids, for prune (docs/retention.md part 5). The sets are shared by every walk: an id already in them (or in the
/// excluded walk's) is not fetched again, and since blocks are content addressed its whole subtree is in them already, so
/// walking ten snapshots of a mostly unchanged folder costs about one folder's walk. Chunks are never fetched (their
/// ids are in the tree or manifest that names them). Memory: the sets, plus a few trees and manifests while they are
/// read (`BlockFetcher.concurrentFetches` at a time), dropped once their ids are taken.
public struct ReferenceWalk: Sendable {
    public let catalog: SnapshotCatalog
    /// What this walk found: snapshots, trees, manifests (and index and state pieces given it), and, apart, chunks
    /// (so that a prune can release the chunks first and the blocks that name them only once those are released).
    public private(set) var structure = Set<Identifier>()
    public private(set) var chunks = Set<Identifier>()
    /// What another walk found (R, when walking the forgotten snapshots): neither fetched nor added.
    let excludedStructure: Set<Identifier>
    let excludedChunks: Set<Identifier>
    /// Plaintext bytes of the chunks added (`ChunkRef.length`), each chunk once.
    public private(set) var chunkBytes: UInt64 = 0
    /// Updated as blocks are added, if given.
    let progress: PruneProgress?

    public init(catalog: SnapshotCatalog, excluding other: ReferenceWalk? = nil, progress: PruneProgress? = nil) {
        self.catalog = catalog
        self.excludedStructure = other?.structure ?? []
        self.excludedChunks = other?.chunks ?? []
        self.progress = progress
    }

    /// How many ids it found.
    public var count: Int { structure.count + chunks.count }

    /// Every id it found (a copy: for tests and small walks).
    public var ids: Set<Identifier> { structure.union(chunks) }

    public func contains(_ id: Identifier) -> Bool { structure.contains(id) || chunks.contains(id) }

    /// Adds `id` (not a chunk) unless it is excluded or in already; true if it was new.
    @discardableResult
    public mutating func insert(_ id: Identifier) -> Bool {
        guard !excludedStructure.contains(id), structure.insert(id).inserted else { return false }
        progress?.addBlocks(1)
        return true
    }

    /// The snapshot block `id` and everything under its root tree.
    public mutating func walkSnapshot(_ id: Identifier) async throws {
        guard insert(id) else { return }
        let snapshot = try await catalog.snapshot(id)
        try await walkTrees([snapshot.rootTree])
    }

    /// What one file's content references: inline chunks, or a manifest and its chunks (a share, a sync record).
    public mutating func walkContent(_ content: TreeEntry.Content, what: String) async throws {
        switch content {
        case .inline(let refs):
            addChunks(refs)
        case .manifest(let id, let key):
            try await walkManifests([(id, key)], what: what)
        case .subtree(let tree):
            try await walkTrees([tree])
        case .none, .linkTarget, .hardLink:
            break
        }
    }

    /// Trees depth first, a few fetched at once, each dropped once its entries are taken.
    mutating func walkTrees(_ roots: [Identifier]) async throws {
        var stack = roots.filter { insert($0) }
        while !stack.isEmpty {
            let batch = Array(stack.suffix(BlockFetcher.concurrentFetches))
            stack.removeLast(batch.count)
            let sealed = try await catalog.fetcher.fetchAll(batch) { _ in "a folder" }
            for bytes in sealed {
                let tree = try Tree.open(bytes, keys: catalog.identity.keys)
                var manifests: [(Identifier, [UInt8])] = []
                for entry in tree.entries {
                    switch entry.content {
                    case .subtree(let sub): if insert(sub) { stack.append(sub) }
                    case .inline(let refs): addChunks(refs)
                    case .manifest(let id, let key): if insert(id) { manifests.append((id, key)) }
                    case .none, .linkTarget, .hardLink: break
                    }
                }
                try await readManifests(manifests, what: "a file's chunk list")
                progress?.treeDone()
            }
        }
    }

    /// Manifests not walked yet, with their chunks.
    mutating func walkManifests(_ manifests: [(Identifier, [UInt8])], what: String) async throws {
        try await readManifests(manifests.filter { insert($0.0) }, what: what)
    }

    /// Fetches manifests already inserted, a few at once, and adds their chunks.
    private mutating func readManifests(_ manifests: [(Identifier, [UInt8])], what: String) async throws {
        for start in stride(from: 0, to: manifests.count, by: BlockFetcher.concurrentFetches) {
            let part = Array(manifests[start..<min(manifests.count, start + BlockFetcher.concurrentFetches)])
            let sealed = try await catalog.fetcher.fetchAll(part.map(\.0)) { _ in what }
            for (bytes, (_, key)) in zip(sealed, part) {
                addChunks(try FileManifest.open(bytes, sessionKey: key).chunks)
            }
        }
    }

    private mutating func addChunks(_ refs: [ChunkRef]) {
        for ref in refs where !excludedChunks.contains(ref.blockID) && chunks.insert(ref.blockID).inserted {
            chunkBytes += UInt64(ref.length)
            progress?.addBlocks(1)
        }
    }
}
