/// The executables' command lines, Go style (`-flag value`). Both declare no short names at all, because
/// swift-argument-parser reads an unknown single-dash word as a cluster of short flags, and one containing `h`
/// (`-snapshot`, `-datapath`) would print the help and exit 0; `-help` is a whole single-dash name instead. A lone `-h`
/// still asks for help: `arguments` hands it on as `-help`.
public enum GoStyleCommandLine {
    public static var arguments: [String] {
        CommandLine.arguments.dropFirst().map { $0 == "-h" ? "-help" : $0 }
    }
}
