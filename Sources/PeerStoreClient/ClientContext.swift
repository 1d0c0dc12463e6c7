import Foundation
import Logging
import PeerStoreBackup
import PeerStoreWire

/// The client's operations, wired to the flags and the home folder. Prints results on stdout.
struct ClientContext {
    let home: ClientHome
    let logger: Logger
    let quiet: Bool
    let force: Bool
    let peerAddr: String?
    let localPath: String?
    let filename: String?
    let filedest: String?
    let device: String?
    let networkKeyFile: String?
    let json: Bool
    /// -exclude patterns given this run (they replace the remembered ones).
    let excludes: [String]
    let noCache: Bool

    static let defaultPeer = ":3001"
    /// `check`: every block has a copy, but some fewer than the ring's replica count.
    static let exitBelowReplicas: Int32 = 4

    /// A line for people: on stdout, or on stderr with -json (stdout then carries JSON lines only); nothing with -quiet.
    func say(_ line: String?) {
        guard !quiet, let line else { return }
        if json {
            Console.error(line)
        } else {
            print(line)
        }
    }

    /// A JSON string literal.
    func jsonString(_ s: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [s], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }

    /// Runs an operation; returns the exit status (0, or 3 for "done with skips").
    func perform(_ operation: String) async throws -> Int32 {
        switch operation {
        case "init": return try initialise()
        case "whoami": return try whoami()
        case "backup": return try await backup()
        case "getfile": return try await getfile()
        case "restore": return try await restore()
        case "snapshots": return try await snapshots()
        case "genkey": return try genkey()
        case "check": return try await check()
        default:
            throw BackupError(.usage, "unknown -operation '\(operation)': use init, whoami, backup, getfile, restore, snapshots, check or genkey")
        }
    }

    private func initialise() throws -> Int32 {
        // A key file that cannot be read is refused before anything is created, not remembered.
        if let networkKeyFile { _ = try networkKey(ClientConfig(device: "", networkKeyFile: networkKeyFile)) }
        let (identity, created) = try home.ensureInitialised(evenInUsedHome: true)
        var config = try home.loadConfig()
        if let device { config.device = device }
        rememberRing(in: &config)
        if let localPath { config.localPath = try absolute(localPath) }
        try home.save(config)
        if created {
            say("created a new identity in \(home.path) (keep a copy of \(home.identityPath) somewhere safe)")
        } else {
            say("identity already exists in \(home.path); left unchanged")
        }
        say("user id: \(identity.userID)")
        return 0
    }

    private func whoami() throws -> Int32 {
        print(try home.loadIdentity().userID)
        return 0
    }

    /// Every block of the latest snapshot and how many nodes hold it; exit 1 if any block has no copy, 4 if any has fewer
    /// copies than the ring keeps.
    private func check() async throws -> Int32 {
        let identity = try home.loadIdentity()
        var config = try home.loadConfig()
        if let device { config.device = device }
        let report = try await withClient(config, identity) { client in
            let catalog = SnapshotCatalog(client: client, identity: identity, heads: HeadMemory(home: home))
            let latest = try await catalog.latest(device: config.device)
            let check = ReplicaCheck(catalog: catalog)
            let ids = try await check.blockIDs(snapshotID: latest.id, snapshot: latest.snapshot)
            return try await check.count(ids, on: client)
        }
        if json {
            print("{\"blocks\":\(report.blocks),\"nodes\":\(report.nodes),\"minReplicas\":\(report.minReplicas),\"maxReplicas\":\(report.maxReplicas),\"missing\":\(report.missing),\"replicas\":\(report.replicas ?? 0),\"belowReplicas\":\(report.belowReplicas),\"unreachableNodes\":\(report.unreachableNodes.count)}")
        } else {
            say("\(Format.count(report.blocks, "block")) on \(Format.count(report.nodes, "node")): every block on \(report.minReplicas) to \(report.maxReplicas) nodes; \(report.missing) with no copy")
            if let target = report.replicas {
                say(report.belowReplicas == 0
                    ? "every block has the ring's \(target) copies"
                    : "\(Format.count(report.belowReplicas, "block")) with fewer than the ring's \(target) copies"
                        + (report.nodes + report.unreachableNodes.count < target ? " (the ring has fewer nodes than that)" : "")
                        + ": anti-entropy adds copies as nodes return or join")
            }
            for node in report.unreachableNodes { say("  node \(node) did not answer") }
        }
        if report.missing > 0 { return 1 }
        return report.belowReplicas > 0 ? Self.exitBelowReplicas : 0
    }

    private func genkey() throws -> Int32 {
        guard let networkKeyFile else { throw BackupError(.usage, "genkey needs -networkKeyFile FILE (where to write the new key)") }
        if FileManager.default.fileExists(atPath: networkKeyFile) {
            throw BackupError(.usage, "\(networkKeyFile) already exists; a new key would lock everyone out of the ring, so it is left alone")
        }
        do {
            try NetworkKey.generate().save(path: networkKeyFile)
        } catch let error as WireError {
            throw BackupError(.io, error.message)
        }
        say("wrote a new network key to \(networkKeyFile) (0600). Keep it secret: give it to every node (-networkKeyFile) and every client.")
        return 0
    }

    /// The ring's network key: -networkKeyFile, else the config's, else the open demo key (with a warning).
    private func networkKey(_ config: ClientConfig) throws -> NetworkKey {
        guard let path = networkKeyFile ?? config.networkKeyFile else {
            if !quiet {
                Console.error("peerstore-client: warning: no -networkKeyFile: using the open demo ring's key")
            }
            return .openDemo
        }
        do {
            return try NetworkKey.load(path: path)
        } catch let error as WireError {
            throw BackupError(.config, error.message)
        }
    }

    /// Connects to the entry node over the secure channel, learns the ring from it, runs `body`, and closes every
    /// connection whatever happens. The entry node's key is pinned on first contact (known_nodes); a node that later
    /// proves another key is refused. The other nodes' keys come from the ring's own successor lists.
    private func withClient<T>(_ config: ClientConfig, _ identity: Identity, _ body: (RingClient) async throws -> T) async throws -> T {
        let text = peerAddr ?? config.peerAddr ?? Self.defaultPeer
        let address = try PeerAddress(parsing: text)
        var known = try KnownNodes(path: home.knownNodesPath)
        let pinned = address.key ?? known.key(for: address)
        let settings = SecureChannelSettings(networkKey: try networkKey(config), identity: identity.signing, expectedServerKey: pinned)
        var entry: WireClient?
        do {
            entry = try await WireClient.connect(to: address, secure: settings, logger: logger)
        } catch let error as WireError {
            // A -peerAddr given on this command line is meant: it not answering is an error, not a cue to use another
            // node. Only a remembered address falls back to the other nodes this client knows, and says which it used.
            guard error.code == .connectionFailed || error.code == .timedOut, peerAddr == nil,
                let other = await otherEntry(known, besides: address, settings)
            else {
                throw entryFailed(error, address)
            }
            entry = other
            Console.error("peerstore-client: the remembered node \(address.hostPort) does not answer (\(error.message)); using the node at \(other.address.hostPort) for this run")
        }
        guard let client = entry else { throw BackupError(.unreachable, "cannot reach \(address.hostPort)") }
        if pinned == nil || address.key != nil, client.address.hostPort == address.hostPort, let key = client.remoteKey,
            known.key(for: address) != key
        {
            try known.pin(key, for: address, in: home)
            if !quiet {
                Console.error("peerstore-client: first contact with \(address.hostPort): pinned its key \(PublicKeyText.encode(key, prefix: "pn")) in \(home.knownNodesPath)")
            }
        }
        let ring: RingClient
        do {
            var open = settings
            open.expectedServerKey = nil
            ring = try await RingClient.start(entry: client, secure: open, logger: logger)
        } catch {
            await client.close()
            throw BackupError(.unreachable, "the node at \(address.hostPort) did not tell the ring's members: \(error)")
        }
        // Remember the ring's nodes this client reached, so that a later run can enter through another one when this
        // one is down (not every node some list named: a member could name addresses with keys of its own making).
        var learned: [(address: PeerAddress, key: [UInt8])] = []
        for node in await ring.reachedNodes {
            if let key = node.key, let a = try? PeerAddress(parsing: node.address) { learned.append((a, key)) }
        }
        try? known.remember(learned, in: home)
        if peerAddr != nil || networkKeyFile != nil, var saved = try? home.loadConfig() {
            let before = saved
            rememberRing(in: &saved)
            if saved != before { try? home.save(saved) }
        }
        do {
            let result = try await body(ring)
            await ring.close()
            return result
        } catch {
            await ring.close()
            throw error
        }
    }

    /// -peerAddr and -networkKeyFile are remembered wherever they are given and worked (or, with init, are given), so
    /// that every later command on this machine needs neither.
    private func rememberRing(in config: inout ClientConfig) {
        if let peerAddr { config.peerAddr = peerAddr }
        if let networkKeyFile { config.networkKeyFile = (try? absolute(networkKeyFile)) ?? networkKeyFile }
    }

    /// A connection to another node this client has pinned (learned from the ring on an earlier run), or nil.
    private func otherEntry(_ known: KnownNodes, besides address: PeerAddress, _ settings: SecureChannelSettings) async -> WireClient? {
        for (hostPort, key) in known.keys.sorted(by: { $0.key < $1.key }) where hostPort != address.hostPort {
            guard let other = try? PeerAddress(parsing: hostPort) else { continue }
            var pinned = settings
            pinned.expectedServerKey = key
            if let client = try? await WireClient.connect(to: other, secure: pinned, connectTimeout: .seconds(3), logger: logger) {
                return client
            }
        }
        return nil
    }

    /// The user-facing error for an entry node that could not be used.
    private func entryFailed(_ error: WireError, _ address: PeerAddress) -> BackupError {
        switch error.code {
        case .serverKeyChanged:
            BackupError(
                .unreachable,
                "the node at \(address.hostPort) proved a different key than the one pinned for it: it may be an impostor. If it was reinstalled on purpose, delete its line from \(home.knownNodesPath) (or give -peerAddr NEWKEY@\(address.hostPort)) and try again")
        case .connectionFailed where peerAddr == nil:
            BackupError(.unreachable, "\(error.message) (the remembered -peerAddr; no other node this client knows answers either)")
        case .connectionFailed:
            BackupError(.unreachable, "\(error.message) (-peerAddr)")
        default:
            BackupError(.unreachable, error.message)
        }
    }

    /// Runs `body` with a progress line (terminal), JSON progress lines (-json) or nothing (-quiet), stopped at the end.
    private func withProgress<T>(_ verb: String, _ body: (TransferProgress) async throws -> T) async throws -> T {
        let reporter = ProgressReporter(quiet: quiet, json: json, verb: verb)
        do {
            let result = try await body(reporter.progress)
            await reporter.stop()
            return result
        } catch {
            await reporter.stop()
            throw error
        }
    }

    private func backup() async throws -> Int32 {
        let (identity, created) = try home.ensureInitialised()
        if created { say("created a new identity in \(home.path) (keep a copy of \(home.identityPath) somewhere safe)") }
        var config = try home.loadConfig()
        if let device { config.device = device }
        let lock = try BackupLock(home: home, device: config.device)
        defer { lock.release() }
        guard let path = localPath ?? config.localPath else {
            throw BackupError(.usage, "no -localPath given and none remembered: run `peerstore-client -operation backup -localPath DIR -peerAddr :3001` once")
        }
        let summary = try await withProgress("backed up") { progress in
            try await withClient(config, identity) { client in
                try await BackupRunner(client: client, identity: identity, logger: logger, progress: progress, heads: HeadMemory(home: home)).run(
                    localPath: path, device: config.device,
                    excludes: ExcludeRules(patterns: excludes.isEmpty ? config.excludes ?? [] : excludes),
                    cache: FileCacheStore(home: home, device: config.device, keys: identity.keys), reuseCache: !noCache)
            }
        }
        // Remember what worked, so the nightly run needs no flags.
        config.localPath = try absolute(path)
        config.peerAddr = config.peerAddr ?? Self.defaultPeer
        rememberRing(in: &config)
        if !excludes.isEmpty { config.excludes = excludes }
        try home.save(config)

        if json {
            print("{\"type\":\"summary\",\"snapshot\":\"\(summary.snapshotID)\",\"files\":\(summary.files),\"directories\":\(summary.directories),\"symlinks\":\(summary.symlinks),\"bytes\":\(summary.bytes),\"filesRead\":\(summary.filesRead),\"bytesRead\":\(summary.bytesRead),\"filesUnchanged\":\(summary.filesUnchanged),\"chunksReused\":\(summary.chunksReused),\"blocksSent\":\(summary.blocksSent),\"bytesSent\":\(summary.bytesSent),\"blocksOffered\":\(summary.blocksOffered),\"excluded\":\(summary.excluded),\"skipped\":\(summary.skipped.count),\"changedWhileRead\":\(summary.changedWhileRead.count),\"seconds\":\(String(format: "%.3f", summary.seconds))}")
        }
        say(json ? nil : "backup of \(config.localPath!) stored as snapshot \(summary.snapshotID.shortHex())")
        say(json ? nil : "  \(Format.count(summary.files, "file")), \(Format.count(summary.directories, "folder")), \(Format.count(summary.symlinks, "link")); \(Format.bytes(summary.bytes))"
            + (summary.excluded > 0 ? "; \(Format.count(summary.excluded, "path")) excluded" : ""))
        say(json ? nil : "  \(Format.count(summary.filesRead, "file")) read (\(Format.bytes(summary.bytesRead))), \(Format.count(summary.filesUnchanged, "file")) unchanged (not read)")
        say(json ? nil : "  \(Format.count(summary.blocksSent, "new block")), \(Format.bytes(summary.bytesSent)) sent (\(summary.blocksOffered - summary.blocksSent) already stored) in \(Format.seconds(summary.seconds))")
        if !quiet {
            for notice in summary.notices { Console.error("peerstore-client: note: \(notice)") }
        }
        if !summary.changedWhileRead.isEmpty {
            Console.error("peerstore-client: backup completed, but \(Format.count(summary.changedWhileRead.count, "file")) changed while being read twice; each is stored as last read (back up again once they are settled):")
            for line in summary.changedWhileRead.prefix(20) { Console.error("  changed while being read: \(line)") }
            if summary.changedWhileRead.count > 20 { Console.error("  ... and \(summary.changedWhileRead.count - 20) more") }
        }
        if !summary.skipped.isEmpty {
            Console.error("peerstore-client: backup completed, but \(Format.count(summary.skipped.count, "path")) \(summary.skipped.count == 1 ? "was" : "were") skipped:")
            for line in summary.skipped.prefix(20) { Console.error("  \(line)") }
            if summary.skipped.count > 20 { Console.error("  ... and \(summary.skipped.count - 20) more") }
            return 3
        }
        if !summary.changedWhileRead.isEmpty { return 3 }
        if !json, localPath != nil || peerAddr != nil { say("next time, `peerstore-client -operation backup` repeats this backup") }
        return 0
    }

    private func absolute(_ path: String) throws -> String {
        let abs = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        guard let r = realpath(abs, nil) else { return abs }
        defer { free(r) }
        return String(cString: r)
    }

    private func latest(_ config: ClientConfig, _ client: RingClient, _ identity: Identity) async throws -> Snapshot {
        try await SnapshotCatalog(client: client, identity: identity, heads: HeadMemory(home: home)).latest(device: config.device).snapshot
    }

    private func getfile() async throws -> Int32 {
        guard let filename else { throw BackupError(.usage, "getfile needs -filename PATH (the file as it was backed up)") }
        guard let filedest else { throw BackupError(.usage, "getfile needs -filedest OUT (where to write the file)") }
        let identity = try home.loadIdentity()
        var config = try home.loadConfig()
        if let device { config.device = device }
        let summary = try await withProgress("restored") { progress in
            try await withClient(config, identity) { client in
                let snapshot = try await latest(config, client, identity)
                return try await Restorer(client: client, identity: identity, logger: logger, progress: progress, heads: HeadMemory(home: home))
                    .restoreFile(filename, from: snapshot, to: filedest, force: force)
            }
        }
        say("restored \(filename) to \(summary.destination) (\(Format.bytes(summary.bytes)) in \(Format.seconds(summary.seconds)))")
        return 0
    }

    private func restore() async throws -> Int32 {
        guard let filedest else { throw BackupError(.usage, "restore needs -filedest DIR (a new or empty folder)") }
        let identity = try home.loadIdentity()
        var config = try home.loadConfig()
        if let device { config.device = device }
        let (snapshot, summary) = try await withProgress("restored") { progress in
            try await withClient(config, identity) { client in
                let snapshot = try await latest(config, client, identity)
                let summary = try await Restorer(client: client, identity: identity, logger: logger, progress: progress, heads: HeadMemory(home: home))
                    .restoreAll(snapshot, to: filedest, force: force)
                return (snapshot, summary)
            }
        }
        if json {
            print("{\"type\":\"summary\",\"destination\":\(jsonString(summary.destination)),\"files\":\(summary.files),\"directories\":\(summary.directories),\"symlinks\":\(summary.symlinks),\"bytes\":\(summary.bytes),\"failed\":\(summary.failed.count),\"seconds\":\(String(format: "%.3f", summary.seconds))}")
        }
        say(json ? nil : "restored snapshot of \(snapshot.rootPath) from \(Format.date(nanoseconds: snapshot.time)) into \(summary.destination)")
        say(json ? nil : "  \(Format.count(summary.files, "file")), \(Format.count(summary.directories, "folder")), \(Format.count(summary.symlinks, "link")); \(Format.bytes(summary.bytes)) in \(Format.seconds(summary.seconds))")
        if !summary.failed.isEmpty {
            Console.error("peerstore-client: \(Format.count(summary.failed.count, "file")) could not be restored (nothing was written for them):")
            for line in summary.failed.prefix(20) { Console.error("  \(line)") }
            return 3
        }
        return 0
    }

    private func snapshots() async throws -> Int32 {
        let identity = try home.loadIdentity()
        var config = try home.loadConfig()
        if let device { config.device = device }
        let list = try await withClient(config, identity) { client in
            try await SnapshotCatalog(client: client, identity: identity, heads: HeadMemory(home: home)).history(device: config.device)
        }
        if list.isEmpty {
            say("no snapshots of device '\(config.device)' yet")
            return 0
        }
        print("ID            TIME                 DEVICE           FILES      SIZE        PATH")
        for (id, s) in list {
            let cols = [id.shortHex(), Format.date(nanoseconds: s.time), s.device, String(s.files), Format.bytes(s.bytes), s.rootPath]
            print(cols[0].padding(toLength: 14, withPad: " ", startingAt: 0) + cols[1].padding(toLength: 21, withPad: " ", startingAt: 0)
                + cols[2].padding(toLength: 17, withPad: " ", startingAt: 0) + cols[3].padding(toLength: 11, withPad: " ", startingAt: 0)
                + cols[4].padding(toLength: 12, withPad: " ", startingAt: 0) + cols[5])
        }
        return 0
    }
}
