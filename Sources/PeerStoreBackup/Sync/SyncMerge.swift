/// The merge of one sync round, a pure function: this device's previous state, what its scan sees now and the other
/// devices' states give the new state to publish and the plan that makes the disk match it.
///
/// Per path, the versions no other version dominates are the candidates. One candidate wins outright; several
/// concurrent ones are ranked by `FileRecord.outranks` (the same on every device) and every live loser whose content
/// differs from the winner's is kept as a conflict copy (`ConflictName`), whose record (the loser's version under the
/// new name) is the same wherever it is made. The winner's record takes the merge of the candidates' vectors, so once
/// devices saw each other the conflict is settled and a second round changes nothing.
public enum SyncMerge {
    public struct Outcome: Equatable, Sendable {
        public var state: FolderState
        public var plan: SyncPlan
        /// The state after the scan, before the merge: what to publish for a path whose action could not be done.
        public var local: FolderState
        /// Whether `state` differs from the previous state: false when neither the disk nor another device changed
        /// anything, and the published head can stay as it is.
        public var changed: Bool

        /// The state to publish when the actions on `failed` paths were not done: those keep their local record.
        public func publishing(failed: Set<SyncPath>) -> FolderState {
            var out = state
            for path in failed { out[path] = local[path] }
            return out
        }
    }

    public static func merge(device: [UInt8], previous: FolderState, scan: [SyncPath: FileMeta], remotes: [FolderState]) -> Outcome {
        let (local, scanChanged) = previous.scanning(scan, device: device)
        var merged = FolderState()
        merged.records.reserveCapacity(local.records.count)
        // Whether `merged` differs from `local`: if not, the disk already matches it and there is nothing to do.
        var differs = false
        var copies: [SyncPath: FileRecord] = [:]
        var renames: [SyncPath: SyncPath] = [:]
        func settle(_ path: SyncPath, _ all: [FileRecord]) {
            var candidates: [FileRecord] = []
            for record in all where !all.contains(where: { $0.version.compare(record.version) == .dominates }) {
                if !candidates.contains(where: { $0.version == record.version }) { candidates.append(record) }
            }
            let ranked = candidates.sorted { $0.outranks($1) }
            var winner = ranked[0]
            winner.version = ranked.dropFirst().reduce(winner.version) { $0.merged($1.version) }
            merged[path] = winner
            if !differs, winner != local[path] { differs = true }
            for loser in ranked.dropFirst() where !loser.deleted && !(loser.meta.isSame(as: winner.meta) && !winner.deleted) {
                guard loser.meta.kind == .file || loser.meta.kind == .symlink else { continue }
                let copy = path.replacingName(ConflictName.make(path.name, mtime: loser.meta.mtime, device: loser.modifiedBy))
                copies[copy] = loser
                if let mine = local[path], mine.version == loser.version, scan[path] != nil { renames[path] = copy }
            }
        }
        // Most paths have one record, or the same record everywhere (devices that saw each other): it stands.
        for (path, mine) in local.records {
            let others = remotes.compactMap { $0[path] }
            if others.allSatisfy({ $0 == mine }) {
                merged[path] = mine
            } else {
                settle(path, [mine] + others)
            }
        }
        for (index, remote) in remotes.enumerated() {
            for path in remote.records.keys where local[path] == nil && merged[path] == nil {
                let all = remotes[index...].compactMap { $0[path] }
                if all.dropFirst().allSatisfy({ $0 == all[0] }) { merged[path] = all[0] } else { settle(path, all) }
                differs = true
            }
        }
        for (path, copy) in copies {
            if let existing = merged[path], existing.version.compare(copy.version) != .dominated { continue }
            merged[path] = copy
            differs = true
        }
        let plan = differs || !renames.isEmpty ? plan(scan: scan, state: merged, renames: renames) : SyncPlan()
        return Outcome(state: merged, plan: plan, local: local, changed: scanChanged || differs)
    }

    /// The actions that turn the disk (`scan`) into `state`.
    static func plan(scan: [SyncPath: FileMeta], state: FolderState, renames: [SyncPath: SyncPath]) -> SyncPlan {
        var actions: [SyncPlan.Action] = []
        var onDisk = scan
        func move(_ from: SyncPath, _ to: SyncPath) {
            actions.append(.rename(from: from, to: to))
            onDisk[to] = onDisk.removeValue(forKey: from)
        }
        for (from, to) in renames.sorted(by: { $0.key < $1.key }) { move(from, to) }
        // A file on disk that is to go (or be replaced) while its very version is wanted elsewhere moves there.
        func stays(_ path: SyncPath, _ meta: FileMeta) -> Bool {
            guard let record = state[path], !record.deleted else { return false }
            return record.meta.isSame(as: meta)
        }
        var movable = onDisk.filter { $0.value.kind == .file && $0.value.size > 0 && !stays($0.key, $0.value) }.keys.sorted()
        let missing = state.records.filter { !$0.value.deleted && $0.value.meta.kind == .file && onDisk[$0.key] == nil }
        for (path, record) in missing.sorted(by: { $0.key < $1.key }) {
            guard let index = movable.firstIndex(where: { onDisk[$0]?.isSame(as: record.meta) ?? false }) else { continue }
            move(movable.remove(at: index), path)
        }
        let deletes = onDisk.keys.filter { state[$0]?.deleted ?? true }
            .sorted { $0.depth != $1.depth ? $0.depth > $1.depth : $0 < $1 }
        for path in deletes {
            // A folder that still holds live paths stays (its delete lost to something made inside it).
            if onDisk[path]?.kind == .directory, state.records.contains(where: { !$0.value.deleted && $0.key.isInside(path) }) { continue }
            actions.append(.delete(path))
        }
        let writes = state.records.filter { path, record in
            !record.deleted && !(onDisk[path].map { $0.isSame(as: record.meta) } ?? false)
        }.sorted { $0.key.depth != $1.key.depth ? $0.key.depth < $1.key.depth : $0.key < $1.key }
        for (path, record) in writes { actions.append(.download(path, record)) }
        return SyncPlan(actions: actions)
    }
}
