import CSodium

/// One-time initialisation of libsodium. Every entry point of this module calls `Sodium.ready()` first.
public enum Sodium {
    private static let initialised: Bool = sodium_init() != -1

    /// Initialises libsodium once; traps if the library cannot start (no entropy source), since nothing is safe then.
    @inline(__always)
    public static func ready() {
        precondition(initialised, "libsodium failed to initialise (sodium_init returned -1)")
    }
}
