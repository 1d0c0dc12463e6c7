import Foundation
import Testing

@testable import PeerStoreCommandLine

/// `-config FILE`: YAML keys become the flags they name, a flag on the command line wins, and a file that is not a
/// mapping of flags says so in one line.
@Suite struct ConfigArgumentsTests {
    @Test func keysBecomeFlagsAndTheCommandLineWins() throws {
        let yaml = """
            # a node
            addr: 0.0.0.0:3001
            replicas: 3
            compactBelow: 0.25
            expireLeases: true
            startRingIfAlone: false
            exclude: ["*.tmp", "logs/"]
            """
        #expect(try ConfigArguments.flags(yaml: yaml, path: "f", given: []) == [
            "-addr", "0.0.0.0:3001", "-compactBelow", "0.25", "-exclude", "*.tmp", "-exclude", "logs/", "-expireLeases",
            "-replicas", "3",
        ])
        // Given on the command line (any spelling): the file's value is left out, a list's too.
        #expect(try ConfigArguments.flags(yaml: yaml, path: "f", given: ["--replicas", "1", "-exclude=x", "-addr", ":1"]) == [
            "-compactBelow", "0.25", "-expireLeases",
        ])
        #expect(try ConfigArguments.flags(yaml: "", path: "f", given: []) == [])
    }

    @Test func aBadFileIsOneClearLine() {
        for (yaml, says) in [("- just\n- a list\n", "not a mapping"), ("addr: [unclosed\n", "is not YAML"),
                             ("addr: {host: x}\n", "not a string, number or list")] {
            #expect {
                try ConfigArguments.flags(yaml: yaml, path: "/etc/x.yaml", given: [])
            } throws: { error in
                let text = "\(error)"
                return text.contains(says) && text.contains("/etc/x.yaml") && !text.contains("\n")
            }
        }
    }

    @Test func theFileIsFoundInAnySpelling() throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString).yaml").path
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        try "logLevel: debug\n".write(toFile: tmp, atomically: true, encoding: .utf8)
        for given in [["-config", tmp], ["--config", tmp], ["-config=" + tmp]] {
            let c = try ConfigArguments.expand(given + ["-addr", ":1"])
            #expect(c.path == tmp && c.all == ["-logLevel", "debug"] + given + ["-addr", ":1"])
        }
        #expect(try ConfigArguments.expand(["-addr", ":1"]).all == ["-addr", ":1"])
        #expect(throws: ConfigError.self) { try ConfigArguments.expand(["-config", tmp + ".missing"]) }
    }

    @Test func valuesAreTakenAsWrittenNotAsYAML11Reads() throws {
        // YAML 1.1 (Yams.load) reads 1:30 as 90 (base 60), 0o17 and 017 as numbers, yes/no/off as switches.
        let yaml = """
            addr: 1:30
            port: 017
            device: no
            label: off
            quoted: "true"
            expireLeases: TRUE
            startRingIfAlone: False
            dataPath: ~
            exclude: [yes, 1:2, "x"]
            """
        #expect(try ConfigArguments.flags(yaml: yaml, path: "f", given: []) == [
            "-addr", "1:30", "-device", "no", "-exclude", "yes", "-exclude", "1:2", "-exclude", "x", "-expireLeases",
            "-label", "off", "-port", "017", "-quoted", "true",
        ])
    }

    @Test func aKeyGivenTwiceIsRefused() {
        #expect {
            try ConfigArguments.flags(yaml: "addr: :1\naddr: :2\n", path: "f.yaml", given: [])
        } throws: { "\($0)".contains("duplicated key(s): 'addr'") && "\($0)".contains("f.yaml") && !"\($0)".contains("\n") }
    }
}
