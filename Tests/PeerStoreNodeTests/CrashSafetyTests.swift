import BlockStore
import ChordRing
import Foundation
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreTestKit
import PeerStoreWire
import Testing

/// SIGKILL a real peerstore-server at random moments under concurrent writers: every acknowledged block survives whole,
/// and a block in flight at the crash is either whole or absent.
@Suite struct CrashSafetyTests {
    /// 20 cycles in 45 s in the short subset; `scripts/faults.sh`: 100 in 400 s.
    static let cycles = FaultBudget().runs(short: 20, long: 100)
    static let budget: TimeInterval = FaultBudget().seconds(short: 45, long: 400)  // for the kill cycles; the final check comes after
    static let writers = 4
    static let maxPutsPerWriter = 300
    static let maxBytesSent = 150 << 20  // past this, writers send small blocks only

    @Test(.timeLimit(.minutes(10)))
    func acknowledgedBlocksSurviveSigkill() async throws {
        let dir = try TemporaryDirectory(prefix: "crash-test")
        defer { dir.remove() }
        let dataPath = dir.sub("node")
        let ledger = CrashLedger()
        let started = Date()
        var cyclesRun = 0
        var checked: Set<Identifier> = []  // acknowledged blocks already verified after some restart
        var tornTails = 0  // restarts that found and truncated a torn tail (for the summary line)
        var damage = (lost: 0, torn: 0)

        for cycle in 0..<Self.cycles where Date().timeIntervalSince(started) < Self.budget {
            let server = try ServerProcess(dataPath: dataPath)
            defer { server.kill() }
            let address = PeerAddress(host: "127.0.0.1", port: server.port)
            if let log = try? String(contentsOfFile: server.logPath, encoding: .utf8), log.contains("torn tail") { tornTails += 1 }

            // After the previous crash: new acknowledgements in full, older ones by sample.
            let state = ledger.snapshot
            let fresh = state.acknowledged.keys.filter { !checked.contains($0) }
            let sample = Array(checked.shuffled().prefix(50))
            let found = try await verify(address, expected: state, ids: fresh + sample, ledger: ledger, context: "cycle \(cycle)")
            damage = (damage.lost + found.lost, damage.torn + found.torn)
            checked.formUnion(fresh)

            // Writers until a SIGKILL at a random moment (sometimes almost at once).
            let killAfter = cycle % 5 == 0 ? Double.random(in: 0.0...0.05) : Double.random(in: 0.05...0.9)
            let stopAt = Date().addingTimeInterval(killAfter + 5)
            let writing = Task { await Self.runWriters(address, ledger: ledger, stopAt: stopAt) }
            try await Task.sleep(nanoseconds: UInt64(killAfter * 1e9))
            server.kill()
            await writing.value
            #expect(!server.process.isRunning)
            // A SIGKILL seldom lands between an entry's header and payload writes; every third cycle, leave the torn
            // write such a crash (or a power loss) would: a whole header and half a payload at the end of the log.
            if cycle % 3 == 1 { try tearTail(dataPath: dataPath, ledger: ledger) }
            cyclesRun += 1
        }

        // A last restart: every acknowledged block, all of them.
        let server = try ServerProcess(dataPath: dataPath)
        defer { server.kill() }
        let address = PeerAddress(host: "127.0.0.1", port: server.port)
        let state = ledger.snapshot
        let found = try await verify(address, expected: state, ids: Array(state.acknowledged.keys), ledger: ledger, context: "final")
        damage = (damage.lost + found.lost, damage.torn + found.torn)
        let finalState = ledger.snapshot
        #expect(cyclesRun >= 10, "only \(cyclesRun) crash cycles ran")
        #expect(tornTails >= 3, "start-up found only \(tornTails) torn tails")
        #expect(finalState.acknowledged.count > 100, "too few acknowledged puts to mean anything")
        #expect(server.stop() == 0, "a clean SIGTERM shutdown exits 0")
        print("crash test: \(cyclesRun) cycles, \(tornTails) torn tails, \(ledger.inDoubtSeen) in doubt at a crash "
              + "(\(ledger.inDoubtPresent) found whole), \(finalState.acknowledged.count) blocks acknowledged or settled, "
              + "\(ledger.bytesSent >> 20) MiB sent, \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        var figures = FaultFigures("kill -9 of a node under block writes", runs: cyclesRun)
        figures.set("acknowledged", finalState.acknowledged.count)
        figures.set("inDoubt", ledger.inDoubtSeen)
        figures.set("tornTails", tornTails)
        figures.set("lost", damage.lost)
        figures.set("torn", damage.torn)
        figures.set("seconds", Int(Date().timeIntervalSince(started)))
        figures.record()
    }

    /// Reads `ids` (acknowledged) and every in-doubt block back from a restarted server and compares bytes; returns
    /// the acknowledged blocks missing or different (`lost`) and the in-doubt ones served but not whole (`torn`).
    @discardableResult
    func verify(
        _ address: PeerAddress, expected: (acknowledged: [Identifier: [UInt8]], inDoubt: [Identifier: [UInt8]]),
        ids: [Identifier], ledger: CrashLedger, context: String
    ) async throws -> (lost: Int, torn: Int) {
        var lost = 0, torn = 0
        let client = try await withDeadline(10) { try await WireClient.connect(to: address, secure: .openDemo()) }
        var present = Set<Identifier>()
        for id in ids {
            let bytes = try await withDeadline(10) { try await client.getBlock(id: id) }
            let wanted = expected.acknowledged[id]!
            #expect(bytes != nil, "\(context): acknowledged block \(id) of \(wanted.count) bytes is missing")
            if let bytes { #expect(bytes == wanted, "\(context): acknowledged block \(id) differs") }
            if bytes != wanted { lost += 1 }
        }
        for (id, wanted) in expected.inDoubt {
            guard let bytes = try await withDeadline(10, { try await client.getBlock(id: id) }) else { continue }
            #expect(bytes == wanted, "\(context): unacknowledged block \(id) is present but not whole")
            if bytes == wanted { present.insert(id) } else { torn += 1 }
        }
        ledger.settle(present: present)
        await client.close()
        return (lost, torn)
    }

    /// Appends a header and half the payload of a new block to the newest segment; the block is in doubt.
    func tearTail(dataPath: String, ledger: CrashLedger) throws {
        let segments = try FileManager.default.contentsOfDirectory(atPath: dataPath + "/segments").filter { $0.hasSuffix(".seg") }
        let newest = try #require(segments.sorted().last)
        let bytes = SecureRandom.bytes(Int.random(in: 2...70_000))
        let id = BlockID.of(bytes)
        ledger.sending(id, bytes)
        let torn = EntryHeader(kind: .block, key: id, payload: bytes).encoded() + bytes.prefix(bytes.count / 2)
        let handle = try #require(FileHandle(forWritingAtPath: dataPath + "/segments/" + newest))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(torn))
    }

    /// Block sizes from a few bytes to 1 MiB, mostly small.
    static func randomSize(bytesSent: Int) -> Int {
        let roll = Int.random(in: 0..<100)
        if roll < 60 || bytesSent > maxBytesSent { return Int.random(in: 1...4096) }
        if roll < 92 { return Int.random(in: 4097...(128 << 10)) }
        return Int.random(in: (128 << 10)...(1 << 20))
    }

    static func runWriters(_ address: PeerAddress, ledger: CrashLedger, stopAt: Date) async {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<writers {
                group.addTask {
                    guard let client = try? await withDeadline(5, { try await WireClient.connect(to: address, secure: .openDemo()) }) else { return }
                    for _ in 0..<maxPutsPerWriter where Date() < stopAt {
                        let bytes = SecureRandom.bytes(randomSize(bytesSent: ledger.bytesSent))
                        let id = BlockID.of(bytes)
                        ledger.sending(id, bytes)
                        do {
                            _ = try await withDeadline(3) { try await client.putBlock(id: id, bytes: bytes) }
                            ledger.acknowledged(id)
                        } catch {
                            break  // the server is gone (or the connection with it)
                        }
                    }
                    _ = try? await withDeadline(3) { await client.close() }
                }
            }
        }
    }
}
