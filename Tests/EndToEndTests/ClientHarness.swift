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

/// Flips one byte in the middle of the largest entry of a stopped node's segment (a chunk, not a small tree or
/// snapshot), checking that entry has at least `atLeast` bytes.
func corruptLargestEntry(segment: String, atLeast: Int) throws {
    var bytes = [UInt8](FileManager.default.contents(atPath: segment) ?? Data())
    var offset = 16
    var largest = (offset: 0, length: 0)
    while offset + 52 <= bytes.count {
        let length = bytes[(offset + 8)..<(offset + 12)].reduce(0) { $0 << 8 | Int($1) }
        if length > largest.length { largest = (offset + 52, length) }
        offset += 52 + length
    }
    guard largest.length >= atLeast else {
        throw TestKitError("the largest entry of \(segment) has \(largest.length) bytes, fewer than \(atLeast)")
    }
    bytes[largest.offset + largest.length / 2] ^= 0xff
    try Data(bytes).write(to: URL(fileURLWithPath: segment))
}
