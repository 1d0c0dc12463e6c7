import ArgumentParser
import Foundation
import PeerStoreTestKit

/// `peerstore-gen`: writes the deterministic test/benchmark corpus.
@main
struct GenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peerstore-gen", abstract: "Generate a deterministic corpus for tests and benchmarks.")

    @Option(name: [.customLong("out", withSingleDash: true), .customLong("out")], help: "Folder to create.")
    var out: String

    @Option(name: [.customLong("size", withSingleDash: true), .customLong("size")], help: "Approximate total size in MiB (default 1024).")
    var sizeMiB: Int = 1024

    @Option(name: [.customLong("seed", withSingleDash: true), .customLong("seed")], help: "Random seed.")
    var seed: UInt64 = 1

    @Option(
        name: [.customLong("smallFiles", withSingleDash: true), .customLong("smallFiles")],
        help: "Write only N files of 200-4,000 bytes in N/100 folders instead of the mixed tree (-size is ignored).")
    var smallFiles: Int = 0

    func run() throws {
        if FileManager.default.fileExists(atPath: out) {
            throw ValidationError("\(out) already exists; remove it or pick another -out")
        }
        if smallFiles < 0 { throw ValidationError("-smallFiles must be 0 (the mixed tree) or a number of files") }
        let started = Date()
        let total: Int
        if smallFiles > 0 {
            total = try SmallFileTree(count: smallFiles, seed: seed).write(into: out)
        } else {
            total = try TreeGenerator(settings: .approximately(sizeMiB << 20, seed: seed)).generate(into: out)
        }
        print("wrote \(total >> 20) MiB into \(out) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }
}
