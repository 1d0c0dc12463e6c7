import Foundation

/// Debian's Chromium, run headless to load a page as a person's browser would: the DOM after loading, or a
/// screenshot. Each run gets a profile folder of its own, removed after. `scripts/test.sh` installs the package.
public struct HeadlessChromium: Sendable {
    public let executable: String

    /// The browser on this machine; the error says how to install it.
    public init() throws {
        let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium"]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TestKitError("Chromium is not installed: run scripts/test.sh (it installs it) or apt-get install chromium")
        }
        executable = found
    }

    /// The document at `url` once loaded, serialized (`--dump-dom`).
    public func dom(_ url: String, timeout: TimeInterval = 60) throws -> String {
        let r = try run(["--dump-dom", url], timeout: timeout)
        guard r.status == 0, r.stdout.contains("<html") else {
            throw TestKitError("chromium --dump-dom \(url) failed (exit \(r.status)): \(r.stderr.suffix(600))")
        }
        return r.stdout
    }

    /// Saves a PNG of the page at `url`, `width` × `height` pixels, to `path`.
    public func screenshot(_ url: String, to path: String, width: Int = 1100, height: Int = 900, timeout: TimeInterval = 60) throws {
        let r = try run(["--screenshot=\(path)", "--window-size=\(width),\(height)", "--hide-scrollbars", url], timeout: timeout)
        guard r.status == 0, FileManager.default.fileExists(atPath: path) else {
            throw TestKitError("chromium --screenshot \(url) failed (exit \(r.status)): \(r.stderr.suffix(600))")
        }
    }

    private func run(_ arguments: [String], timeout: TimeInterval) throws -> CommandRunner.Result {
        let dir = try TemporaryDirectory(prefix: "chromium-profile")
        defer { dir.remove() }
        let profile = dir.path
        // No sandbox: tests run as root in CI, where Chromium's sandbox refuses to start. The page is our own, on loopback.
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     "--disable-extensions", "--disable-background-networking", "--disable-sync", "--no-default-browser-check",
                     "--user-data-dir=\(profile)"]
        return try CommandRunner.run(executable, flags + arguments, environment: ["HOME": profile], timeout: timeout)
    }
}
