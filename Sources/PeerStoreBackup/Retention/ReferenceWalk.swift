import ChordRing

/// Walks what snapshots and file contents reference (snapshot block, trees, manifests, chunk ids) into one set of
/// block ids, for prune (docs/retention.md part 5). One set is shared by every walk: an id already in it (or in
/// `excluded`) is not fetched again, and since blocks are content addressed its whole subtree is in it already, so
/// walking ten snapshots of a mostly unchanged folder costs about one folder's walk. Chunks are never fetched (their
/// ids are in the tree or manifest that names them). Memory: the set, plus a few trees and manifests while they are
/// read (`BlockFetcher.concurrentFetches` at a time), dropped once their ids are taken.
public struct ReferenceWalk: Sendable {
    public let catalog: SnapshotCatalog
    /// What this walk found.
    public private(set) var ids = Set<Identifier>()
    /// The part of `ids` that holds the rest together: snapshot blocks, trees and manifests (not chunks). Prune
    /// releases these only once every chunk's lease ended, so a history it keeps listed stays readable.
    public private(set) var structure = Set<Identifier>()
    /// Ids taken as walked already (R, when walking the forgotten snapshots): neither fetched nor added.
    public let excluded: Set<Identifier>
    /// Plaintext bytes of the chunks added (`ChunkRef.length`), each chunk once.
    public private(set) var chunkBytes: UInt64 = 0
    /// Updated as blocks are added, if given.
    let progress: PruneProgress?

    public init(catalog: SnapshotCatalog, excluding excluded: Set<Identifier> = [], progress: PruneProgress? = nil) {
        self.catalog = catalog
        self.excluded = excluded
        self.progress = progress
    }

    /// Adds `id` unless it is excluded or in already; true if it was new.
    @discardableResult
    public mutating func insert(_ id: Identifier) -> Bool {
        guard !excluded.contains(id), ids.insert(id).inserted else { return false }
        progress?.addBlocks(1)
        return true
    }

    /// The snapshot block `id` and everything under its root tree.
    public mutating func walkSnapshot(_ id: Identifier) async throws {
        guard insertStructure(id) else { return }
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
        var stack = roots.filter { insertStructure($0) }
        while !stack.isEmpty {
            let batch = Array(stack.suffix(BlockFetcher.concurrentFetches))
            stack.removeLast(batch.count)
            let sealed = try await catalog.fetcher.fetchAll(batch) { _ in "a folder" }
            for bytes in sealed {
                let tree = try Tree.open(bytes, keys: catalog.identity.keys)
                var manifests: [(Identifier, [UInt8])] = []
                for entry in tree.entries {
                    switch entry.content {
                    case .subtree(let sub): if insertStructure(sub) { stack.append(sub) }
                    case .inline(let refs): addChunks(refs)
                    case .manifest(let id, let key): if insertStructure(id) { manifests.append((id, key)) }
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
        try await readManifests(manifests.filter { insertStructure($0.0) }, what: what)
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

    /// `insert`, remembering the id as structure.
    private mutating func insertStructure(_ id: Identifier) -> Bool {
        guard insert(id) else { return false }
        structure.insert(id)
        return true
    }

    private mutating func addChunks(_ refs: [ChunkRef]) {
        for ref in refs where insert(ref.blockID) { chunkBytes += UInt64(ref.length) }
    }
}
