import Foundation
import PeerStoreWire

/// What the client prints. Lines for people go to stdout, or to stderr with -json (stdout then carries JSON only), and
/// nowhere with -quiet; JSON values are encoded from `Encodable` summaries.
struct Output: Sendable {
    let quiet: Bool
    let json: Bool

    /// A line for people.
    func say(_ line: String) {
        guard !quiet else { return }
        if json { Console.error(line) } else { print(line) }
    }

    /// A line for people that -json replaces with its JSON summary.
    func sayUnlessJSON(_ line: String) {
        if !json { say(line) }
    }

    /// A note or warning on stderr, said even with -json, not with -quiet.
    func note(_ line: String) {
        if !quiet { Console.error("peerstore-client: " + line) }
    }

    /// A problem on stderr, said always, with up to 20 of the paths it concerns.
    func problem(_ line: String, listing items: [String], prefix: String = "") {
        Console.error("peerstore-client: " + line)
        for item in items.prefix(20) { Console.error("  " + prefix + item) }
        if items.count > 20 { Console.error("  ... and \(items.count - 20) more") }
    }

    /// One JSON object on stdout.
    func printJSON(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return }
        Console.output(String(decoding: data, as: UTF8.self) + "\n")
    }
}
