import ArgumentParser
import Foundation

extension ConfigArguments {
    /// The arguments `command` is run with: `arguments` after the flags of its `-config` file. A file that cannot be
    /// read, or whose keys the command does not take, ends the process with one line on stderr (exit 64, a usage
    /// error, as a mistyped flag).
    public static func resolved<C: ParsableCommand>(_ arguments: [String], for command: C.Type, tool: String) -> [String] {
        do {
            let config = try expand(arguments)
            if let path = config.path, !config.fromFile.isEmpty {
                do {
                    _ = try C.parseAsRoot(config.fromFile)
                } catch {
                    fail("\(tool): -config \(path): \(C.message(for: error))")
                }
            }
            return config.all
        } catch {
            fail("\(tool): \(error)")
        }
    }

    private static func fail(_ line: String) -> Never {
        FileHandle.standardError.write(Data((line + "\n").utf8))
        exit(64)
    }
}
