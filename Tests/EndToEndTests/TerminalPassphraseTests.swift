import Foundation
import PeerStoreTestKit
import Testing

/// The passphrase asked on a terminal: `script` (util-linux) gives the client a pseudo-terminal of its own; the test
/// types only after each prompt (the prompt flushes type-ahead) and checks nothing it typed is echoed.
@Suite(.serialized)
struct TerminalPassphraseTests {
    /// The client under `script`, its terminal's output collected in the background.
    final class Terminal: @unchecked Sendable {
        let process = Process()
        let input = Pipe(), output = Pipe()
        private let lock = NSLock()
        private var seen = ""

        init(_ client: String, _ arguments: [String]) throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            let command = ([client] + arguments).map { "'" + $0 + "'" }.joined(separator: " ")
            process.arguments = ["-qec", command, "/dev/null"]
            var env = ProcessInfo.processInfo.environment
            env["PEERSTORE_PASSPHRASE"] = nil
            process.environment = env
            process.standardInput = input
            process.standardOutput = output
            process.standardError = output
            output.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                guard let self, !data.isEmpty else { return }
                self.lock.withLock { self.seen += String(decoding: data, as: UTF8.self) }
            }
            try process.run()
        }

        var text: String { lock.withLock { seen } }

        /// Waits (at most 20 s) until the terminal shows `needle` `count` times.
        func waitFor(_ needle: String, count: Int = 1) throws {
            let deadline = Date().addingTimeInterval(20)
            while text.components(separatedBy: needle).count - 1 < count {
                guard Date() < deadline, process.isRunning else { throw TestKitError("no '\(needle)' on the terminal: \(text)") }
                usleep(20_000)
            }
            usleep(100_000)
        }

        func type(_ line: String) { input.fileHandleForWriting.write(Data((line + "\n").utf8)) }

        func finish() -> Int32 {
            let deadline = Date().addingTimeInterval(60)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            output.fileHandleForReading.readabilityHandler = nil
            return process.terminationStatus
        }
    }

    @Test func exportAsksTwiceWithoutEchoAndImportOpensIt() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else {
            Issue.record("script (util-linux) is needed for the terminal test")
            return
        }
        let tmp = try TemporaryDirectory(prefix: "e2e-tty")
        defer { tmp.remove() }
        let a = ClientHarness(home: tmp.sub("a"))
        #expect(try a.run(["-operation", "init", "-quiet"]).status == 0)
        let client = try BinaryLocator.path(of: "peerstore-client")
        let file = tmp.sub("me.export")
        let secret = "typed on a terminal 7"

        let export = try Terminal(client, ["-home", a.home, "-operation", "export-identity", "-filedest", file])
        try export.waitFor("Passphrase: ")
        export.type(secret)
        try export.waitFor("The same passphrase again: ")
        export.type(secret)
        #expect(export.finish() == 0, "\(export.text)")
        #expect(export.text.contains("wrote your identity") && !export.text.contains(secret), "\(export.text)")

        // Two different answers: refused, nothing written.
        let mismatch = try Terminal(client, ["-home", a.home, "-operation", "export-identity", "-filedest", file + "2"])
        try mismatch.waitFor("Passphrase: ")
        mismatch.type(secret)
        try mismatch.waitFor("The same passphrase again: ")
        mismatch.type(secret + "x")
        #expect(mismatch.finish() != 0)
        #expect(mismatch.text.contains("the two passphrases differ"), "\(mismatch.text)")
        #expect(!FileManager.default.fileExists(atPath: file + "2"))

        let b = ClientHarness(home: tmp.sub("b"))
        let imported = try Terminal(client, ["-home", b.home, "-operation", "import-identity", "-filename", file])
        try imported.waitFor("Passphrase: ")
        imported.type(secret)
        #expect(imported.finish() == 0, "\(imported.text)")
        #expect(!imported.text.contains(secret) && !imported.text.contains("again"), "\(imported.text)")
        #expect(try a.run(["-operation", "whoami"]).stdout == (try b.run(["-operation", "whoami"])).stdout)
    }
}
