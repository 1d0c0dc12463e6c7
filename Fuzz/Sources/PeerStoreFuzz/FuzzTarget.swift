/// One fuzz target: a name (the corpus folder and the `scripts/fuzz.sh` argument) and what it does with one input.
/// A target may throw away any error a decoder throws: only a crash, a hang or unbounded memory is a finding.
struct FuzzTarget: Sendable {
    let name: String
    let run: @Sendable ([UInt8]) -> Void

    static let all: [FuzzTarget] = [
        FuzzTarget(name: "frame", run: FrameTarget.run),
        FuzzTarget(name: "handshake", run: HandshakeTarget.run),
        FuzzTarget(name: "wire", run: WireTarget.run),
        FuzzTarget(name: "chunk", run: ChunkTarget.run),
        FuzzTarget(name: "manifest", run: FormatTargets.manifest),
        FuzzTarget(name: "tree", run: FormatTargets.tree),
        FuzzTarget(name: "snapshot", run: FormatTargets.snapshot),
        FuzzTarget(name: "head", run: FormatTargets.head),
        FuzzTarget(name: "snapshot-index", run: FormatTargets.snapshotIndex),
        FuzzTarget(name: "file-cache", run: FormatTargets.fileCache),
        FuzzTarget(name: "sync-head", run: FormatTargets.syncHead),
        FuzzTarget(name: "folder-state", run: FormatTargets.folderState),
        FuzzTarget(name: "share-token", run: ShareTargets.token),
        FuzzTarget(name: "inbox-entry", run: ShareTargets.inboxEntry),
        FuzzTarget(name: "segment", run: SegmentTarget.run),
    ]
}

/// A property a target checks on what decoded (a re-encoding decodes to the same value): a broken one is a finding.
func require(_ condition: Bool, _ what: @autoclosure () -> String) {
    if !condition { fatalError("fuzz property failed: \(what())") }
}
