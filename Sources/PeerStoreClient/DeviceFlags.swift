import ArgumentParser

/// The flags of export-identity, import-identity and devices.
struct DeviceFlags: ParsableArguments, Sendable {
    @Option(name: [.customLong("passphraseFile", withSingleDash: true), .customLong("passphraseFile")], help: "export-identity, import-identity: read the passphrase from this file's first line (else $PEERSTORE_PASSPHRASE, else asked on the terminal).")
    var passphraseFile: String?

    @Option(name: [.customLong("forget", withSingleDash: true), .customLong("forget")], help: "devices: take the device with this id (the ID column) off the list; its backups stay.")
    var forget: String?
}
