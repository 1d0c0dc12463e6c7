import ArgumentParser
import PeerStoreCommandLine
import Foundation
import Logging
import PeerStoreBackup
import PeerStoreWire

/// `peerstore-client`: back up, restore and inspect, with Go-style single-dash flags.
@main
struct ClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peerstore-client",
        abstract: "Back up a folder to a PeerStore ring and restore from it.",
        discussion: "Operations:\n" + ClientOperations.helpText + "\n" + """
            Exit status: 0 done; 1 failed (one line on stderr says why); 3 done, but some paths were skipped, changed while
              being read, or not restored; 4 (check) every block has a copy, but some fewer than the ring keeps;
              64 an unknown or mistyped flag.
            Keep a copy of the identity file somewhere safe: without it nobody can read your backups.
            """,
        // No short names: see GoStyleCommandLine.
        helpNames: [.customLong("help", withSingleDash: true), .long])

    static func main() async {
        Console.ignoreBrokenPipes()
        await main(ConfigArguments.resolved(GoStyleCommandLine.arguments, for: Self.self, tool: "peerstore-client"))
    }

    @Flag(name: [.customLong("version", withSingleDash: true), .customLong("version")], help: "Print the version and exit.")
    var version = false

    @Option(name: [.customLong("config", withSingleDash: true), .customLong("config")], help: "A YAML file of these flags (`flag: value` a line, without the dash); a flag given here wins.")
    var config: String?

    @Option(name: [.customLong("operation", withSingleDash: true), .customLong("operation")], help: "init, whoami, backup, getfile, restore, snapshots, forget, prune, ls, diff, check, genkey, share, inbox, contacts, revoke, devices, export-identity, import-identity or sync (default backup).",
            completion: .list(ClientOperations.all.map(\.name)))
    var operation: String = "backup"

    @Option(name: [.customLong("peerAddr", withSingleDash: true), .customLong("peerAddr")], help: "A node of the ring (:PORT or HOST:PORT); remembered once it worked. Given here, it must answer.")
    var peerAddr: String?

    @Option(name: [.customLong("localPath", withSingleDash: true), .customLong("localPath")], help: "The folder to back up; remembered after a backup.")
    var localPath: String?

    @Option(name: [.customLong("filename", withSingleDash: true), .customLong("filename")], help: "A path as backed up (absolute, or relative to the backed-up folder): getfile the file to restore; restore only this folder (or file); ls only what is under it.")
    var filename: String?

    @Option(name: [.customLong("filedest", withSingleDash: true), .customLong("filedest")], help: "Where to restore to.")
    var filedest: String?

    @Option(name: [.customLong("home", withSingleDash: true), .customLong("home")], help: "Client home (default $PEERSTORE_HOME, else $HOME/.peerstore).")
    var home: String?

    @Option(name: [.customLong("device", withSingleDash: true), .customLong("device")], help: "Device name (default: the host name); init, backup and import-identity remember it, restore, getfile, snapshots, ls, diff, check and forget read that device's backups.")
    var device: String?

    @Option(name: [.customLong("networkKeyFile", withSingleDash: true), .customLong("networkKeyFile")], help: "The ring's network key (remembered wherever given); genkey writes a new one here.")
    var networkKeyFile: String?

    @Option(name: [.customLong("exclude", withSingleDash: true), .customLong("exclude")], help: ArgumentHelp(
        "Leave out paths matching a glob (repeatable; remembered after a backup): *.tmp, /build, logs/, **/cache/*. A .peerstoreignore file in any folder adds patterns for that folder."))
    var exclude: [String] = []

    @Flag(name: [.customLong("force", withSingleDash: true), .customLong("force")], help: "Overwrite an existing -filedest (restore, getfile, export-identity).")
    var force = false

    @Flag(name: [.customLong("quiet", withSingleDash: true), .customLong("quiet")], help: "Print only errors.")
    var quiet = false

    @Flag(name: [.customLong("noCache", withSingleDash: true), .customLong("noCache")], help: "With backup: read every file, even those the file cache says are unchanged.")
    var noCache = false

    @Flag(name: [.customLong("skipIfUnchanged", withSingleDash: true), .customLong("skipIfUnchanged")], help: "With backup: store no new snapshot when the folder is as the latest snapshot stores it (nothing changed).")
    var skipIfUnchanged = false

    @Flag(name: [.customLong("json", withSingleDash: true), .customLong("json")], help: "Machine-readable output: JSON progress lines and a summary (backup, restore), one JSON object (check), one per entry (ls) or change and a summary (diff).")
    var json = false

    @OptionGroup(title: "Sharing")
    var sharing: SharingFlags

    @OptionGroup(title: "Devices")
    var devices: DeviceFlags

    @OptionGroup(title: "Sync")
    var syncFlags: SyncFlags

    @OptionGroup(title: "Snapshots")
    var browse: BrowseFlags

    @OptionGroup(title: "Forget")
    var retention: RetentionFlags

    @Option(name: [.customLong("metricsFile", withSingleDash: true), .customLong("metricsFile")], help: "With backup: after the run, write a summary for node-exporter's textfile collector here (PATH.prom; replaced atomically).")
    var metricsFile: String?

    @Option(name: [.customLong("logLevel", withSingleDash: true), .customLong("logLevel")], help: "Log level for diagnostics on stderr (default warning).")
    var logLevel: String = "warning"

    mutating func run() async throws {
        if version {
            print("peerstore-client \(PeerStoreVersion.current)")
            return
        }
        let level = Logger.Level(rawValue: logLevel) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let session = ClientSession(
            home: ClientHome.resolve(explicit: home),
            options: SessionOptions(peerAddr: peerAddr, networkKeyFile: networkKeyFile, device: device, quiet: quiet),
            logger: Logger(label: "peerstore.client"))
        let flags = ClientFlags(
            localPath: localPath, filename: filename, filedest: filedest, excludes: exclude, force: force, noCache: noCache, skipIfUnchanged: skipIfUnchanged,
            json: json, quiet: quiet, sharing: sharing,
            passphrase: PassphraseSource(file: devices.passphraseFile, terminal: TerminalPassphrase.ask), forget: devices.forget,
            sync: syncFlags, browse: browse, retention: retention)
        let status: Int32
        let context = OperationContext(session: session, flags: flags, output: Output(quiet: quiet, json: json))
        var metrics: MetricsFileWriter?
        do {
            if let misplaced = retention.misplaced(for: operation) { throw BackupError(.usage, misplaced) }
            metrics = try MetricsFileWriter(path: metricsFile, operation: operation)
            status = try await ClientOperations.named(operation).run(context)
        } catch {
            Console.error("peerstore-client: \(error)")
            metrics?.finish(exitCode: ExitCode.failure.rawValue, report: context.report)
            throw ExitCode.failure
        }
        metrics?.finish(exitCode: status, report: context.report)
        if status != 0 { throw ExitCode(status) }
    }
}
