import ChordRing

/// The blocks a file entry's content needs: its inline chunks, or its manifest and the manifest's chunks.
public enum ContentBlocks {
    /// The ids `content` names (a manifest is fetched and opened for its chunks); none for a folder, link or empty
    /// file. `what` names the file in an error.
    public static func ids(of content: TreeEntry.Content, fetcher: BlockFetcher, what: String) async throws -> [Identifier] {
        switch content {
        case .inline(let refs):
            return refs.map(\.blockID)
        case .manifest(let id, let key):
            let manifest = try FileManifest.open(try await fetcher.fetch(id, what: what), sessionKey: key)
            return [id] + manifest.chunks.map(\.blockID)
        case .none, .linkTarget, .hardLink, .subtree:
            return []
        }
    }
}
