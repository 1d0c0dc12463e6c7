import ChordRing

extension PruneRunner {
    /// R: every retained snapshot and index piece of every history, every sync head's snapshot, state pieces and the
    /// contents its state names (live and deleted records alike), and each received share's content. A block that
    /// cannot be read stops the prune (R must be whole), except a share sent by another user: its blocks are not this
    /// user's, so it is skipped and counted.
    func walkRetained(_ histories: [History], devices: DeviceList, into outcome: inout Outcome) async throws -> ReferenceWalk {
        var walk = ReferenceWalk(catalog: catalog, progress: progress)
        do {
            for history in histories {
                for piece in history.pointer.index ?? [] { walk.insert(piece) }
                try await walk.walkSnapshot(history.pointer.snapshot)
                for entry in history.index.retained {
                    try await walk.walkSnapshot(entry.id)
                    outcome.retainedSnapshots += 1
                }
            }
            for device in devices.devices {
                let folders = Set(device.folders.map(\.name) + device.pastNames.flatMap(\.folders))
                for folder in folders.sorted() {
                    let store = SyncHeadStore(client: ring, identity: identity, heads: catalog.heads, folder: folder)
                    guard let published = try await store.read(device.id, name: device.name) else { continue }
                    outcome.syncHeads += 1
                    for piece in published.head.pieces { walk.insert(piece) }
                    try await walk.walkSnapshot(published.head.snapshot)
                    for record in published.state.records.values {
                        try await walk.walkContent(record.meta.content, what: "a synced file")
                    }
                }
            }
        } catch let error as BackupError {
            throw Self.stopped(error)
        }
        let shares = try await ShareInbox(ring: ring, identity: identity).list().shares
        for share in shares {
            outcome.shares += 1
            do {
                try await walk.walkContent(share.grant.content, what: "a shared file")
            } catch let error as BackupError {
                if share.grant.sender == identity.signing.publicKey { throw Self.stopped(error) }
                outcome.unreadableShares += 1
                outcome.notices.append("share \(share.index) in your inbox could not be read (\(error.message)); it is not renewed")
            }
        }
        return walk
    }

    /// At most this many unreadable forgotten snapshots are named in the notices (the count has them all).
    static let namedUnreadable = 5

    /// F: every forgotten snapshot not in R, walked past what R holds. Returns, per history, the forgotten snapshots
    /// walked whole (those a prune may take off the list once released) and those whose own snapshot block is gone
    /// from the ring (an earlier prune released it: nothing of it can be walked again, so it leaves the list); one
    /// that cannot be read for another reason is counted and kept.
    func walkForgotten(_ histories: [History], retained: ReferenceWalk, into walk: inout ReferenceWalk, outcome: inout Outcome) async throws
        -> (whole: [String: Set<Identifier>], gone: [String: Set<Identifier>])
    {
        var walked: [String: Set<Identifier>] = [:]
        var gone: [String: Set<Identifier>] = [:]
        for history in histories {
            for entry in history.index.forgotten {
                if retained.contains(entry.id) {
                    outcome.forgottenStillReferenced += 1
                    continue
                }
                do {
                    try await walk.walkSnapshot(entry.id)
                    walked[history.name, default: []].insert(entry.id)
                    outcome.forgottenSnapshots += 1
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    outcome.unreadableForgotten += 1
                    if let e = error as? BackupError, e.code == .missingBlock, (try? await ring.haveBlocks([entry.id])) == [false] {
                        gone[history.name, default: []].insert(entry.id)
                        continue
                    }
                    if outcome.unreadableForgotten <= Self.namedUnreadable {
                        outcome.notices.append("forgotten snapshot \(entry.id.shortHex()) of '\(history.name)' could not be read (\((error as? BackupError)?.message ?? "\(error)")); what only it references is not released, and it stays listed")
                    }
                }
            }
        }
        if outcome.unreadableForgotten > Self.namedUnreadable {
            outcome.notices.append("\(outcome.unreadableForgotten - Self.namedUnreadable) more forgotten snapshots could not be read; they stay listed for the next prune")
        }
        if !gone.isEmpty {
            outcome.notices.append("\(Format.count(gone.values.map(\.count).reduce(0, +), "forgotten snapshot")) whose block is gone from the ring already (an earlier prune released it) left the list")
        }
        return (walked, gone)
    }
}
