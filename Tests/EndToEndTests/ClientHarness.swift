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

/// The number in "N new blocks" (or "1 new block") of a backup summary.
func newBlocks(_ output: String) -> Int? {
    guard let range = output.range(of: #"[\d,]+ new blocks?"#, options: .regularExpression) else { return nil }
    return Int(output[range].split(separator: " ").first!.replacingOccurrences(of: ",", with: ""))
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

/// Flips one byte in the middle of the largest entry of a node's segment (a chunk, not a small tree or snapshot), in
/// place (a running node reads the damage on its next read), checking that entry has at least `atLeast` bytes.
func corruptLargestEntry(segment: String, atLeast: Int) throws {
    let bytes = [UInt8](FileManager.default.contents(atPath: segment) ?? Data())
    var largest = (offset: 0, length: 0)
    for entry in SegmentLayout.entries(bytes) where entry.length > largest.length { largest = (entry.payload, entry.length) }
    guard largest.length >= atLeast else {
        throw TestKitError("the largest entry of \(segment) has \(largest.length) bytes, fewer than \(atLeast)")
    }
    let at = largest.offset + largest.length / 2
    guard let handle = FileHandle(forUpdatingAtPath: segment) else { throw TestKitError("cannot open \(segment)") }
    defer { try? handle.close() }
    try handle.seek(toOffset: UInt64(at))
    try handle.write(contentsOf: Data([bytes[at] ^ 0xff]))
}

/// Backs `src` up to a fresh node in `tmp`, stops it, damages the largest block (see `corruptLargestEntry`), starts it
/// again and restores everything into `tmp/out`. Returns the restore's result and the folder restored into.
func restoreAfterDamagingTheLargestBlock(src: String, tmp: TemporaryDirectory) throws -> (CommandRunner.Result, String) {
    let client = ClientHarness(home: tmp.sub("home"))
    var server = try ServerProcess(dataPath: tmp.sub("node"))
    let r = try client.run(["-operation", "backup", "-peerAddr", server.address, "-localPath", src])
    server.stop()
    guard r.status == 0 else { throw TestKitError("backup failed (\(r.status)): \(r.stderr)") }
    try corruptLargestEntry(segment: tmp.sub("node/segments/0000000001.seg"), atLeast: 200_000)
    server = try ServerProcess(dataPath: tmp.sub("node"))
    defer { server.stop() }
    let out = tmp.sub("out")
    return (try client.run(["-operation", "restore", "-peerAddr", server.address, "-filedest", out]), out)
}
