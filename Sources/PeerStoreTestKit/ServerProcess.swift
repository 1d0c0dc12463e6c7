import Foundation

/// A real `peerstore-server` process for integration tests: started on port 0 of 127.0.0.1, its bound port read from
/// the line it prints, stopped with SIGTERM (or killed with SIGKILL) and always reaped.
public final class ServerProcess: @unchecked Sendable {
    public let process: Process
    public let dataPath: String
    public private(set) var port: Int = 0
    public let logPath: String

    /// The host clients and other nodes reach it at.
    public let host: String
    public var address: String { "\(host):\(port)" }

    /// Starts a server and waits (at most `timeout` seconds) until it listens.
    /// What the server printed on stdout up to the moment it listened (its node key among it).
    public private(set) var stdout = ""

    /// With `user`, the server runs as that normal user (its data path's parent must be writable by it). With a
    /// `launcher` (for example `ip netns exec NAME`), it runs through it (which must exec it, keeping the pid); `host` is
    /// then where it is reached.
    public init(
        dataPath: String, extraArguments: [String] = [], listen: String = "127.0.0.1:0", timeout: TimeInterval = 30,
        user: UnprivilegedUser? = nil, launcher: [String] = [], host: String = "127.0.0.1"
    ) throws {
        self.dataPath = dataPath
        self.logPath = dataPath + ".log"
        self.host = host
        let arguments = ["-addr", listen, "-dataPath", dataPath] + extraArguments
        let base: (executable: String, arguments: [String]) = try user?.commandLine("peerstore-server", arguments) ?? (BinaryLocator.path(of: "peerstore-server"), arguments)
        let command = launcher + [base.executable] + base.arguments
        process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        let out = Pipe()
        process.standardOutput = out
        FileManager.default.createFile(atPath: logPath, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: logPath)
        try process.run()

        // Read stdout on a handler so that the wait below is bounded in time even if the server prints nothing.
        let collected = LockedText()
        out.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            if chunk.isEmpty { handle.readabilityHandler = nil } else { collected.append(String(decoding: chunk, as: UTF8.self)) }
        }
        let deadline = Date().addingTimeInterval(timeout)
        var text = ""
        while Date() < deadline && process.isRunning {
            text = collected.value
            if let range = text.range(of: #"listening on [^\s,]+:(\d+)"#, options: .regularExpression) {
                port = Int(text[range].split(separator: ":").last!) ?? 0
                stdout = text
                break
            }
            usleep(10_000)
        }
        guard port > 0 else {
            process.terminate()
            process.waitUntilExit()
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            throw TestKitError("peerstore-server did not start: \(text) \(log)")
        }
    }

    /// SIGTERM, then waits for a clean exit (SIGKILL after `timeout`). Returns the exit status.
    @discardableResult
    public func stop(timeout: TimeInterval = 20) -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        thaw()  // a frozen process handles SIGTERM only once it runs again
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// SIGSTOP: the process stays and holds its sockets but answers nothing, as a hung VM, a stalled disk or a network
    /// black hole would. The kernel still accepts connections for it.
    public func freeze() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGSTOP)
    }

    /// SIGCONT: a frozen process runs again.
    public func thaw() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGCONT)
    }

    /// SIGKILL: a crash at whatever instant the server is in.
    public func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { kill() }
    }
}

/// A string appended to from one thread and read from another.
final class LockedText: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    func append(_ s: String) { lock.lock(); text += s; lock.unlock() }
    var value: String { lock.lock(); defer { lock.unlock() }; return text }
}
