import Testing

@testable import PeerStoreBackup

@Suite struct SyncMergeTests {
    let a = [UInt8](repeating: 0xaa, count: 16)
    let b = [UInt8](repeating: 0xbb, count: 16)

    @Test func versionVectorOrder() {
        let v = VersionVector([a: 2, b: 1])
        #expect(v.compare(v) == .equal)
        #expect(v.incremented(a).compare(v) == .dominates)
        #expect(v.compare(v.incremented(b)) == .dominated)
        #expect(v.incremented(a).compare(v.incremented(b)) == .concurrent)
        #expect(v.incremented(a).merged(v.incremented(b)) == VersionVector([a: 3, b: 2]))
        #expect(VersionVector([a: 0]) == VersionVector())
    }

    @Test func conflictNameLikeSyncthing() {
        let t = Timestamp(seconds: 1_764_547_200 + 3723, nanoseconds: 0)  // 2025-12-01 01:02:03 UTC
        #expect(ConflictName.make("notes.txt", mtime: t, device: a).string == "notes.sync-conflict-20251201-010203-aaaaaaaa.txt")
        #expect(ConflictName.make(".bashrc", mtime: t, device: b).string == ".bashrc.sync-conflict-20251201-010203-bbbbbbbb")
        #expect(ConflictName.make("Makefile", mtime: Timestamp(seconds: 0, nanoseconds: 0), device: a).string
            == "Makefile.sync-conflict-19700101-000000-aaaaaaaa")
    }

    func file(_ n: UInt32, mtime: Int64) -> FileMeta { SyncSimulation.meta(n, mtime: mtime) }

    @Test func newerVersionWinsAndDownloads() {
        var sim = SyncSimulation(count: 2)
        sim.write(device: 0, path: SyncPath("x"))
        sim.sync(0)
        let outcome = sim.sync(1)
        #expect(outcome.plan.actions.count == 1)
        #expect(sim.devices[1].disk == sim.devices[0].disk)
        sim.write(device: 1, path: SyncPath("x"))
        sim.sync(1)
        sim.sync(0)
        #expect(sim.devices[0].disk == sim.devices[1].disk)
        #expect(sim.devices[0].disk.count == 1, "a newer version replaces, it makes no conflict copy")
    }

    @Test func concurrentEditsKeepBothTheSameWayOnBothDevices() {
        var sim = SyncSimulation(count: 2)
        sim.write(device: 0, path: SyncPath("doc.txt"))
        sim.sync(0); sim.sync(1)
        sim.write(device: 0, path: SyncPath("doc.txt"))
        sim.write(device: 1, path: SyncPath("doc.txt"))  // newer mtime: wins
        sim.sync(0); sim.sync(1); sim.sync(0)
        #expect(sim.devices[0].disk == sim.devices[1].disk)
        #expect(sim.devices[0].disk.count == 2)
        #expect(sim.contents(0) == [2, 3])
        let copy = sim.devices[0].disk.keys.first { $0 != SyncPath("doc.txt") }!
        #expect(copy.name.string!.hasPrefix("doc.sync-conflict-"))
        #expect(copy.name.string!.hasSuffix("-" + String(repeating: "10", count: 4) + ".txt"), "the loser was device 0's")
        #expect(SyncSimulation.contentID(sim.devices[0].disk[SyncPath("doc.txt")]!) == 3)
                #expect(sim.sync(0).plan.isEmpty && sim.sync(1).plan.isEmpty)
    }

    @Test func deleteTravelsAndLosesToAConcurrentChange() {
        var sim = SyncSimulation(count: 2)
        sim.write(device: 0, path: SyncPath("d/f"))
        sim.write(device: 0, path: SyncPath("g"))
        sim.sync(0); sim.sync(1)
        sim.delete(device: 0, path: SyncPath("g"))
        sim.sync(0)
        let outcome = sim.sync(1)
        #expect(outcome.plan.actions == [.delete(SyncPath("g"))])
        #expect(outcome.state[SyncPath("g")]?.deleted == true)
        // Deleted on 0, changed on 1 without seeing the delete: it comes back.
        sim.delete(device: 0, path: SyncPath("d/f"))
        sim.write(device: 1, path: SyncPath("d/f"))
        sim.sync(0); sim.sync(1); sim.sync(0)
        #expect(sim.devices[0].disk[SyncPath("d/f")] != nil)
        #expect(sim.devices[0].disk == sim.devices[1].disk)
    }

    @Test func foldersSymlinksModesAndEmptyFilesCarryOver() {
        let dir = FileMeta(kind: .directory, content: .none, size: 0, mode: 0o700, mtime: Timestamp(seconds: 9, nanoseconds: 0))
        let link = FileMeta(kind: .symlink, content: .linkTarget("../t"), size: 4, mode: 0o777, mtime: Timestamp(seconds: 8, nanoseconds: 0))
        let empty = FileMeta(kind: .file, content: .none, size: 0, mode: 0o755, mtime: Timestamp(seconds: 7, nanoseconds: 5))
        let scan = [SyncPath("d"): dir, SyncPath("d/l"): link, SyncPath("d/e"): empty]
        let first = SyncMerge.merge(device: a, previous: FolderState(), scan: scan, remotes: [])
        #expect(first.plan.isEmpty)
        let other = SyncMerge.merge(device: b, previous: FolderState(), scan: [:], remotes: [first.state])
        #expect(other.plan.actions.map(\.path) == [SyncPath("d"), SyncPath("d/e"), SyncPath("d/l")], "a folder before what is in it")
        for case .download(let path, let record) in other.plan.actions { #expect(record.meta == scan[path]) }
        // A folder's mtime moving is no change of its own.
        var moved = scan
        moved[SyncPath("d")]!.mtime = Timestamp(seconds: 99, nanoseconds: 0)
        #expect(SyncMerge.merge(device: a, previous: first.state, scan: moved, remotes: []).state == first.state)
        // A mode change is one.
        var chmod = scan
        chmod[SyncPath("d/e")]!.mode = 0o600
        let changed = SyncMerge.merge(device: a, previous: first.state, scan: chmod, remotes: [])
        #expect(changed.state[SyncPath("d/e")]!.version.compare(first.state[SyncPath("d/e")]!.version) == .dominates)
    }

    @Test func aFolderAndAFileMadeAtOncePathKeepTheFolderAndCopyTheFile() {
        let dir = FileMeta(kind: .directory, content: .none, size: 0, mode: 0o755, mtime: Timestamp(seconds: 1, nanoseconds: 0))
        let inside = file(1, mtime: 1)
        let newer = file(2, mtime: 50)
        let onA = SyncMerge.merge(device: a, previous: FolderState(), scan: [SyncPath("x"): dir, SyncPath("x/in"): inside], remotes: [])
        let onB = SyncMerge.merge(device: b, previous: FolderState(), scan: [SyncPath("x"): newer], remotes: [onA.state])
        #expect(onB.state[SyncPath("x")]?.meta.kind == .directory)
        let copy = SyncPath([ConflictName.make("x", mtime: newer.mtime, device: b)])
        #expect(onB.state[copy]?.meta == newer)
        #expect(onB.plan.actions.first == .rename(from: SyncPath("x"), to: copy))
        #expect(onB.plan.actions.contains(.download(SyncPath("x/in"), onA.state[SyncPath("x/in")]!)))
    }

    @Test func failedActionsKeepTheLocalRecord() {
        var sim = SyncSimulation(count: 2)
        sim.write(device: 0, path: SyncPath("x"))
        sim.sync(0)
        let outcome = SyncMerge.merge(device: b, previous: FolderState(), scan: [:], remotes: [sim.devices[0].published])
        #expect(outcome.publishing(failed: [SyncPath("x")])[SyncPath("x")] == nil)
        #expect(outcome.publishing(failed: [])[SyncPath("x")] != nil)
    }
}

extension SyncPlan.Action {
    var path: SyncPath {
        switch self {
        case .rename(let from, _): from
        case .delete(let path): path
        case .download(let path, _): path
        }
    }
}
