import Foundation
import PeerStoreTestKit

/// A client home plus a way to run `peerstore-client` in it.
struct ClientHarness {
    let home: String

    @discardableResult
    func run(_ arguments: [String], currentDirectory: String? = nil) throws -> CommandRunner.Result {
        try CommandRunner.run("peerstore-client", ["-home", home] + arguments, currentDirectory: currentDirectory)
    }
}

/// The number in "N new blocks" of a backup summary.
func newBlocks(_ output: String) -> Int? {
    guard let range = output.range(of: #"(\d+) new blocks"#, options: .regularExpression) else { return nil }
    return Int(output[range].split(separator: " ").first!)
}

/// A small corpus with every kind of entry the generator makes.
func smallCorpus(seed: UInt64 = 7) -> TreeGenerator.Settings {
    var s = TreeGenerator.Settings.approximately(16 << 20, seed: seed)
    s.bigRandomSize = 6 << 20
    s.bigTextSize = 3 << 20
    s.bigRandomFiles = 1
    s.smallFiles = 1200
    s.smallMax = 16 << 10
    return s
}
