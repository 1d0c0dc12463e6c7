import ArgumentParser
import PeerStoreCommandLine
import Foundation
import Logging
import PeerStoreNode
import PeerStoreWire
import ServiceLifecycle

/// `peerstore-server`: a storage node of a PeerStore ring.
@main
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peerstore-server",
        abstract: "Run a PeerStore storage node.",
        discussion: """
            Example: peerstore-server -addr :3001 -dataPath .peerstore/3001
            A bare :PORT listens on 127.0.0.1 only. For a ring across hosts, listen on this host's address
            (-addr 10.0.0.5:3001), or on every interface with the address others reach it at:
            -addr 0.0.0.0:3001 -advertiseAddr 10.0.0.5:3001.
            Flags take one dash or two.
            """,
        // No short names: see GoStyleCommandLine.
        helpNames: [.customLong("help", withSingleDash: true), .long])

    static func main() async {
        Console.ignoreBrokenPipes()
        await main(ConfigArguments.resolved(GoStyleCommandLine.arguments, for: Self.self, tool: "peerstore-server"))
    }

    @Flag(name: [.customLong("version", withSingleDash: true), .customLong("version")], help: "Print the version and exit.")
    var version = false

    @Option(name: [.customLong("operation", withSingleDash: true), .customLong("operation")], help: "run (default), status (print the ring seen from -peerAddr) or scrub (check the stopped node's -dataPath once; exit 3 if damaged).",
            completion: .list(["run", "status", "scrub"]))
    var operation: String = "run"

    @Option(name: [.customLong("peerAddr", withSingleDash: true), .customLong("peerAddr")], help: "With -operation status: the node to ask.")
    var peerAddr: String = ":3001"

    @Option(name: [.customLong("addr", withSingleDash: true), .customLong("addr")], help: "Address to listen on (:PORT or HOST:PORT; port 0 picks a free port).")
    var addr: String = ":3001"

    @Option(name: [.customLong("dataPath", withSingleDash: true), .customLong("dataPath")], help: "Folder for the node's blocks, records and key (default .peerstore/PORT under the current folder).")
    var dataPath: String?

    @Option(name: [.customLong("advertiseAddr", withSingleDash: true), .customLong("advertiseAddr")], help: "HOST:PORT other nodes and clients reach this node at (needed with -addr 0.0.0.0:PORT; port 0: the bound port).")
    var advertiseAddr: String?

    @Option(name: [.customLong("initialPeerAddr", withSingleDash: true), .customLong("initialPeerAddr")], help: "A node of the ring to join (HOST:PORT, or KEY@HOST:PORT to pin its key). Until it can join, the node keeps trying and says why; it does not start a ring of its own. Without it: the first node of a new ring.")
    var initialPeerAddr: String?

    @Flag(name: [.customLong("startRingIfAlone", withSingleDash: true), .customLong("startRingIfAlone")], help: "While -initialPeerAddr cannot be joined, run a ring of one meanwhile (and keep trying it).")
    var startRingIfAlone = false

    @Option(name: [.customLong("networkKeyFile", withSingleDash: true), .customLong("networkKeyFile")], help: "The ring's network key (make one with `peerstore-client -operation genkey`). Without it: an open demo ring.")
    var networkKeyFile: String?

    @Option(name: [.customLong("allowUsers", withSingleDash: true), .customLong("allowUsers")], help: "A file of user ids (one a line) that may store here; others may only read.")
    var allowUsers: String?

    @Option(name: [.customLong("handshakeTimeout", withSingleDash: true), .customLong("handshakeTimeout")], help: "Seconds a peer has to complete the secure handshake (default 10).")
    var handshakeTimeout: Double = 10

    @Option(name: [.customLong("peerTimeout", withSingleDash: true), .customLong("peerTimeout")], help: "Seconds another node has to answer a request before it is skipped and counted as down for a while (default 5; a put gets 0.25 s more per MiB).")
    var peerTimeout: Double = 5

    @Option(name: [.customLong("stabilizeInterval", withSingleDash: true), .customLong("stabilizeInterval")], help: "Seconds between stabilize rounds (default 1).")
    var stabilizeInterval: Double = 1

    @Option(name: [.customLong("replicas", withSingleDash: true), .customLong("replicas")], help: "Copies of every block and record (default 3).")
    var replicas: Int = 3

    @Option(name: [.customLong("antiEntropyInterval", withSingleDash: true), .customLong("antiEntropyInterval")], help: "Seconds between anti-entropy rounds (default 10).")
    var antiEntropyInterval: Double = 10

    @Option(name: [.customLong("compactBelow", withSingleDash: true), .customLong("compactBelow")], help: "Rewrite a segment once less than this fraction of it is live (default 0.5; 0: never).")
    var compactBelow: Double = 0.5

    @Option(name: [.customLong("compactInterval", withSingleDash: true), .customLong("compactInterval")], help: "Seconds between compactions of one segment each (default 30).")
    var compactInterval: Double = 30

    @Option(name: [.customLong("segmentMiB", withSingleDash: true), .customLong("segmentMiB")], help: "Start a new segment file once one would pass this many MiB (default 256; compaction rewrites whole segments).")
    var segmentMiB: Int = 256

    @Option(name: [.customLong("gracePeriod", withSingleDash: true), .customLong("gracePeriod")], help: "Seconds a block is kept after its last lease ended (default 604800, 7 days).")
    var gracePeriod: UInt64 = 604_800

    @Flag(name: [.customLong("expireLeases", withSingleDash: true), .customLong("expireLeases")], help: "Count a lease past its expiry as ended (off: only releases end leases).")
    var expireLeases = false

    @Option(name: [.customLong("leaseBackupBound", withSingleDash: true), .customLong("leaseBackupBound")], help: "Seconds a backup may run before it commits (default 86400): a release ends only leases renewed longer ago. Tests shorten it.")
    var leaseBackupBound: UInt64 = 86_400

    @Option(name: [.customLong("successors", withSingleDash: true), .customLong("successors")], help: "Successor-list length (default 8).")
    var successors: Int = 8

    @Option(name: [.customLong("scrubInterval", withSingleDash: true), .customLong("scrubInterval")], help: "Seconds between scrub passes, which read and check every stored block and record and drop damaged copies for replicas to replace (default 86400; 0: off).")
    var scrubInterval: Double = 86_400

    @Option(name: [.customLong("scrubRate", withSingleDash: true), .customLong("scrubRate")], help: "MiB a second a scrub pass reads at most, on average (default 16; 0: no limit; with -operation scrub: default no limit).")
    var scrubRate: Double?

    @Option(name: [.customLong("metricsAddr", withSingleDash: true), .customLong("metricsAddr")], help: "Serve Prometheus metrics on http://HOST:PORT/metrics (:PORT: 127.0.0.1 only; off by default).")
    var metricsAddr: String?

    @Option(name: [.customLong("httpAddr", withSingleDash: true), .customLong("httpAddr")], help: "Serve the status page (the ring drawn, /status.json) on http://HOST:PORT/ (:PORT: 127.0.0.1 only; off by default).")
    var httpAddr: String?

    @Option(name: [.customLong("logLevel", withSingleDash: true), .customLong("logLevel")], help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    @Option(name: [.customLong("config", withSingleDash: true), .customLong("config")], help: "A YAML file of these flags (`flag: value` a line, without the dash); a flag given here wins.")
    var config: String?
}
