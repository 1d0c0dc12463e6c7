import Foundation
import PeerStoreBackup

/// `devices`: the user's devices from the ring's device list, this one marked.
struct DevicesOperation: ClientOperation {
    static let name = "devices"
    static let help = "list your devices: name, id, last backup, synced folders and when each last synced (-forget ID takes one off)"

    func run(_ context: OperationContext) async throws -> Int32 {
        let (session, out) = (context.session, context.output)
        let (identity, config) = (try session.identity(), try session.config())
        let me = try DeviceID.ofHome(session.home)
        if let prefix = context.flags.forget {
            let gone = try await session.withRing(config, identity) { ring in
                var gone: DeviceList.Device?
                try await DeviceRegistry.update(ring: ring, identity: identity, heads: session.heads) { list in
                    gone = try list.device(idPrefix: prefix)
                    try list.remove(id: gone!.id)
                }
                return gone!
            }
            out.say("took '\(DeviceName.shown(gone.name))' (id \(gone.id.short)) off your device list; its backups stay (their names are kept for prune)"
                + (gone.id == me ? " (this device: its next backup or sync lists it again)" : ""))
            return 0
        }
        let list = try await session.withRing(config, identity) { ring in
            try await DeviceRegistry.load(ring: ring, identity: identity, heads: session.heads)
        }
        let devices = list.devices.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
        if context.flags.json {
            out.printJSON(DevicesJSON(devices: devices.map { DevicesJSON.Device($0, this: $0.id == me) }))
        } else {
            print(row("", ["DEVICE", "ID", "LAST BACKUP", "SYNCED FOLDERS (LAST SYNCED)"]))
            for d in devices {
                let folders = d.folders.map { "\(DeviceName.shown($0.name)) \(Format.date(nanoseconds: $0.lastSynced))" }
                print(row(d.id == me ? "*" : "", [DeviceName.shown(d.name), d.id.short, d.lastBackup.map { Format.date(nanoseconds: $0) } ?? "never",
                                                  folders.first ?? "-"]))
                for more in folders.dropFirst() { print(row("", ["", "", "", more])) }
            }
            out.say(list[me] == nil
                ? "this device ('\(config.device)', id \(me.short)) is not listed yet: its next backup registers it"
                : "* this device")
        }
        return 0
    }

    private func row(_ mark: String, _ cols: [String]) -> String {
        mark.padding(toLength: 2, withPad: " ", startingAt: 0)
            + zip(cols, [24, 10, 21]).map { $0.padding(toLength: max($1, $0.count + 2), withPad: " ", startingAt: 0) }.joined() + cols[3]
    }
}

/// The `-json` list of `devices`: times in ISO 8601 (UTC), null when never.
struct DevicesJSON: Encodable {
    struct Folder: Encodable {
        let name: String
        let lastSynced: String
    }

    struct Device: Encodable {
        let id, name: String
        let thisDevice: Bool
        let lastBackup: String?
        let folders: [Folder]

        init(_ d: DeviceList.Device, this: Bool) {
            (id, name, thisDevice) = (d.id.hex, d.name, this)
            lastBackup = d.lastBackup.map(Self.iso)
            folders = d.folders.map { Folder(name: $0.name, lastSynced: Self.iso($0.lastSynced)) }
        }

        static func iso(_ ns: Int64) -> String {
            ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(ns) / 1e9))
        }
    }

    let devices: [Device]
}
