import ArgumentParser

/// The flags of export-identity and import-identity.
struct DeviceFlags: ParsableArguments, Sendable {
    @Option(name: [.customLong("passphraseFile", withSingleDash: true), .customLong("passphraseFile")], help: "export-identity, import-identity: read the passphrase from this file's first line (else $PEERSTORE_PASSPHRASE, else asked on the terminal).")
    var passphraseFile: String?
}
