import Foundation
import PeerStoreTestKit
import Testing

/// The man pages and shell completions in dist/ are generated from the command definitions
/// (`scripts/generate-docs.sh`): they must match the binaries built now, so a new or renamed flag cannot leave them
/// stale. (Not in EndToEndTests: the normal-user pass of scripts/test.sh may not read the clone.)
@Suite struct DocsTests {
    static let tools = ["peerstore-client", "peerstore-server"]

    static func committed(_ path: String) throws -> String {
        try String(contentsOfFile: BinaryLocator.packageRoot() + "/dist/" + path, encoding: .utf8)
    }

    @Test(arguments: tools)
    func completionScriptsMatchTheBinary(tool: String) throws {
        for (shell, file) in [("bash", "completions/bash/\(tool)"), ("zsh", "completions/zsh/_\(tool)"), ("fish", "completions/fish/\(tool).fish")] {
            let r = try CommandRunner.run(tool, ["--generate-completion-script", shell])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout == (try Self.committed(file)), "dist/\(file) is stale: run scripts/generate-docs.sh")
        }
    }

    /// Every flag the binary knows is in its man page (`.Fl name`), and the page names no flag the binary lacks.
    @Test(arguments: tools)
    func theManPageHasEveryFlag(tool: String) throws {
        let r = try CommandRunner.run(tool, ["--experimental-dump-help"])
        #expect(r.status == 0, "\(r.stderr)")
        let info = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let command = try #require(info["command"] as? [String: Any])
        let arguments = (command["arguments"] as? [[String: Any]]) ?? []
        let flags = Set(arguments.compactMap { ($0["preferredName"] as? [String: Any])?["name"] as? String })
        #expect(flags.contains("operation") || tool == "peerstore-server" && flags.contains("addr"), "\(flags)")
        let page = try Self.committed("man/\(tool).1")
        for flag in flags.subtracting(["help"]) {
            #expect(page.contains(".Fl \(flag)") || page.contains("Fl \(flag) "), "dist/man/\(tool).1 lacks -\(flag): run scripts/generate-docs.sh")
        }
        let named = Set(page.split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: "Fl ") else { return nil }
            return line[range.upperBound...].split(separator: " ").first.map(String.init)
        })
        #expect(named.subtracting(flags).subtracting(["help"]).isEmpty, "dist/man/\(tool).1 names flags the binary lacks: \(named.subtracting(flags))")
    }
}
