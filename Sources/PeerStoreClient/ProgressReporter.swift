import Foundation
import PeerStoreBackup
import PeerStoreWire

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
                    Console.errorText("\r" + ProgressLine.text(progress.reading, verb: verb) + "\u{1B}[K")
                }
            }
        case .json:
            task = Task.detached {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    if Task.isCancelled { break }
                    Console.output(ProgressLine.json(progress.reading) + "\n")
                }
            }
        }
    }

    /// Stops the updates and clears the live line.
    func stop() async {
        task?.cancel()
        await task?.value
        if mode == .terminal { Console.errorText("\r\u{1B}[K") }
    }
}
