import Glibc

/// Reads a passphrase from the controlling terminal (`/dev/tty`) with echo off, restoring the terminal after (also on
/// Ctrl-C, which then ends the run); nil when there is no terminal (cron, CI).
enum TerminalPassphrase {
    /// The terminal's settings while echo is off, for the Ctrl-C handler (set before it is installed).
    nonisolated(unsafe) private static var saved = termios()
    nonisolated(unsafe) private static var savedFD: Int32 = -1

    @Sendable static func ask(_ prompt: String) throws -> String? {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var original = termios()
        guard tcgetattr(fd, &original) == 0 else { return nil }
        var quiet = original
        quiet.c_lflag &= ~tcflag_t(ECHO | ECHONL)
        quiet.c_lflag |= tcflag_t(ICANON)
        (saved, savedFD) = (original, fd)
        let previous = signal(SIGINT) { _ in
            _ = tcsetattr(TerminalPassphrase.savedFD, TCSANOW, &TerminalPassphrase.saved)
            _ = write(TerminalPassphrase.savedFD, "\n", 1)
            _exit(130)
        }
        _ = tcsetattr(fd, TCSAFLUSH, &quiet)
        defer {
            _ = tcsetattr(fd, TCSAFLUSH, &original)
            signal(SIGINT, previous)
            _ = write(fd, "\n", 1)
        }
        _ = prompt.withCString { write(fd, $0, strlen($0)) }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while bytes.count < 4096 {
            let n = read(fd, &byte, 1)
            if n <= 0 || byte == UInt8(ascii: "\n") { break }
            bytes.append(byte)
        }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
