import Foundation
import PeerStoreBackup

/// Shows a long operation's progress: a live line on stderr when it is a terminal, JSON lines on stdout with -json,
/// nothing with -quiet (for cron). Runs as a task until stopped.
struct ProgressReporter {
    enum Mode {
        case terminal
        case json
        case silent
    }

    let progress = TransferProgress()
    let mode: Mode
    let verb: String
    private let task: Task<Void, Never>?

    init(quiet: Bool, json: Bool, verb: String) {
        let mode: Mode = json ? .json : (!quiet && isatty(STDERR_FILENO) == 1 ? .terminal : .silent)
        self.mode = mode
        self.verb = verb
        let progress = self.progress
        switch mode {
        case .silent:
            task = nil
        case .terminal:
            task = Task.detached {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(500))
                    if Task.isCancelled { break }
                    FileHandle.standardError.write(Data(("\r" + ProgressLine.text(progress.reading, verb: verb) + "\u{1B}[K").utf8))
                }
            }
        case .json:
            task = Task.detached {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    if Task.isCancelled { break }
                    FileHandle.standardOutput.write(Data((ProgressLine.json(progress.reading) + "\n").utf8))
                }
            }
        }
    }

    /// Stops the updates and clears the live line.
    func stop() async {
        task?.cancel()
        await task?.value
        if mode == .terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
