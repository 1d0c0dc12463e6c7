#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the executables print for people. A closed or broken stdout or stderr (`peerstore-server | head -1`) must
/// never stop a process: writes here ignore failures, and `ignoreBrokenPipes` makes a write to a closed pipe fail with
/// EPIPE instead of killing the process with SIGPIPE (Foundation's `FileHandle.write` traps on that error).
public enum Console {
    /// Call once at start-up, before anything is printed.
    public static func ignoreBrokenPipes() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// One line on stderr.
    public static func error(_ line: String) {
        write(line + "\n", to: 2)
    }

    /// Text on stderr as it is (no newline added): for progress lines that redraw themselves.
    public static func errorText(_ text: String) {
        write(text, to: 2)
    }

    private static func write(_ text: String, to descriptor: CInt) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if n > 0 {
                offset += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}

extension Console {
    /// Text on stdout, flushed at once (shares stdio's buffer with `print`, so the order stays).
    public static func output(_ text: String) {
        print(text, terminator: "")
        fflush(nil)
    }
}
