import Foundation

/// Runs a built executable to completion with a time limit and captures its output.
public enum CommandRunner {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// With `user`, the command runs as that normal user; with a `launcher` (for example `ip netns exec NAME`), through it.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                           currentDirectory: String? = nil, timeout: TimeInterval = 300, user: UnprivilegedUser? = nil,
                           launcher: [String] = []) throws -> Result {
        let process = Process()
        let base: (executable: String, arguments: [String]) = try user?.commandLine(executable, arguments) ?? (BinaryLocator.path(of: executable), arguments)
        let command = launcher + [base.executable] + base.arguments
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let dir = NSTemporaryDirectory() + "peerstore-cmd-" + UUID().uuidString
        FileManager.default.createFile(atPath: dir + ".out", contents: nil)
        FileManager.default.createFile(atPath: dir + ".err", contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: dir + ".out")
            try? FileManager.default.removeItem(atPath: dir + ".err")
        }
        process.standardOutput = FileHandle(forWritingAtPath: dir + ".out")
        process.standardError = FileHandle(forWritingAtPath: dir + ".err")
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw TestKitError("\(executable) \(arguments.joined(separator: " ")) did not finish within \(Int(timeout)) s")
        }
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: (try? String(contentsOfFile: dir + ".out", encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: dir + ".err", encoding: .utf8)) ?? "")
    }
}
