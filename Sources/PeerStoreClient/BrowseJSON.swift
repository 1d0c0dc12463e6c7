import PeerStoreBackup

/// The kind of an entry as `ls -json` and `diff -json` name it.
private func kindName(_ kind: TreeEntry.Kind) -> String {
    switch kind {
    case .file: "file"
    case .directory: "dir"
    case .symlink: "symlink"
    }
}

/// One entry of `ls -json`: its path (escaped as printed), mode bits and `ls -l` permissions, size, mtime (RFC 3339,
/// UTC), a link's target, and for another name of a hard-linked file the path of its first name.
struct LsJSON: Encodable {
    let type: String
    let path: String
    let mode: UInt32
    let permissions: String
    let size: UInt64
    let mtime: String
    let linkTarget: String?
    let hardLinkTo: String?

    init(_ item: SnapshotWalk.Item) {
        let e = item.entry
        (type, path, mode, size) = (kindName(e.kind), EntryText.path(item.path), e.mode, e.size)
        (permissions, mtime) = (EntryText.mode(e.kind, e.mode), EntryText.rfc3339(e.mtime))
        if case .linkTarget(let target) = e.content { linkTarget = target.description } else { linkTarget = nil }
        if case .hardLink(let first) = e.content { hardLinkTo = EntryText.path(first) } else { hardLinkTo = nil }
    }
}

/// One line of `diff -json`.
struct DiffLineJSON: Encodable {
    var type = "change"
    let change: String
    let path: String
    let kind: String

    init(_ line: SnapshotDiff.Line) {
        (change, path, kind) = (line.change.rawValue, EntryText.path(line.path), kindName(line.kind))
    }
}

/// The summary of `diff -json`: counts per change and kind, and the bytes of the files added and removed.
struct DiffSummaryJSON: Encodable {
    struct Counts: Encodable {
        let files, dirs, symlinks: Int
    }

    var type = "summary"
    let added, removed, changed: Counts
    let bytesAdded, bytesRemoved: UInt64

    init(_ s: SnapshotDiff.Summary) {
        func counts(_ c: TreeDiff.Change) -> Counts { Counts(files: s.count(c, .file), dirs: s.count(c, .directory), symlinks: s.count(c, .symlink)) }
        (added, removed, changed) = (counts(.added), counts(.removed), counts(.changed))
        (bytesAdded, bytesRemoved) = (s.bytesAdded, s.bytesRemoved)
    }
}
