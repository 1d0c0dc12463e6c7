import ArgumentParser
import Foundation
import PeerStoreCrypto
import PeerStoreTestKit

/// `peerstore-gen`: writes the deterministic test/benchmark corpus.
@main
struct GenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peerstore-gen", abstract: "Generate a deterministic corpus for tests and benchmarks.")

    @Option(name: [.customLong("out", withSingleDash: true), .customLong("out")], help: "Folder to create.")
    var out: String?

    @Option(name: [.customLong("size", withSingleDash: true), .customLong("size")], help: "Approximate total size in MiB (default 1024).")
    var sizeMiB: Int = 1024

    @Option(name: [.customLong("seed", withSingleDash: true), .customLong("seed")], help: "Random seed.")
    var seed: UInt64 = 1

    @Flag(name: [.customLong("cryptoBench", withSingleDash: true), .customLong("cryptoBench")],
          help: "Measure the cipher and hash candidates on this CPU instead (MB/s).")
    var cryptoBench = false

    @Option(
        name: [.customLong("smallFiles", withSingleDash: true), .customLong("smallFiles")],
        help: "Write only N files of 200-4,000 bytes in N/100 folders instead of the mixed tree (-size is ignored).")
    var smallFiles: Int = 0

    func run() throws {
        if cryptoBench {
            print("CPU: AES instructions \(CPUFeatures.current.hasAESInstructions ? "yes" : "no")")
            for row in CryptoBench().run() {
                print("\(row.job.padding(toLength: 28, withPad: " ", startingAt: 0)) \(row.candidate.padding(toLength: 34, withPad: " ", startingAt: 0)) \(String(format: "%6.0f", row.megabytesPerSecond)) MB/s")
            }
            return
        }
        guard let out else { throw ValidationError("-out FOLDER is required (or -cryptoBench)") }
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
