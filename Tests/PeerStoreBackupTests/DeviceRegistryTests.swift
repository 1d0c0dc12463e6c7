import ChordRing
import Foundation
import PeerStoreBackup
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreTestKit
import PeerStoreWire
import Testing

/// The device registry in-process against `InMemoryRing`: load, update, compare-and-swap under contention, bounds.
@Suite struct DeviceRegistryTests {
    let ring = InMemoryRing()
    let me = Identity.generate()

    @Test func emptyUntilUpdatedThenSharedByEveryDevice() async throws {
        #expect(try await DeviceRegistry.load(ring: ring, identity: me).devices.isEmpty)
        let laptop = DeviceID.random(), desk = DeviceID.random()
        try await DeviceRegistry.update(ring: ring, identity: me) { $0.recordBackup(id: laptop, name: "laptop", at: 10) }
        try await DeviceRegistry.update(ring: ring, identity: me) { $0.recordSync(id: desk, name: "desk", folder: "docs", at: 20) }
        let list = try await DeviceRegistry.load(ring: ring, identity: me)
        #expect(list.devices.map(\.name) == ["laptop", "desk"])
        #expect(list[desk]?.lastSynced("docs") == 20)
        // Another user sees nothing of it.
        #expect(try await DeviceRegistry.load(ring: ring, identity: Identity.generate()).devices.isEmpty)
    }

    @Test func theRecordNamesNothingAndIsSealed() async throws {
        try await DeviceRegistry.update(ring: ring, identity: me) { $0.register(id: .random(), name: "very-distinct-name") }
        let record = try #require(try await ring.getRecord(key: DeviceRegistry.key(identity: me)))
        #expect(record.hasValidSignature && record.ownerKey == me.signing.publicKey)
        #expect(record.salt == DeviceRegistry.salt(keys: me.keys))
        #expect(record.salt != Blake2b.hash(Array("devices".utf8), outputLength: 32))
        #expect(record.salt != HeadPointer.salt(device: "devices", keys: me.keys))
        #expect(!Hex.encode(record.value).contains(Hex.encode(Array("very-distinct-name".utf8))))
        #expect(record.value[1] == SealedObject.Kind.devices.rawValue)
        // Another user's salt for the same list is unrelated.
        #expect(DeviceRegistry.salt(keys: Identity.generate().keys) != record.salt)
    }

    @Test func concurrentUpdatesAllSurvive() async throws {
        let counting = CountingRing(inner: ring)
        await ring.slowDown(by: .milliseconds(15))
        let ids = (0..<4).map { _ in DeviceID.random() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (n, id) in ids.enumerated() {
                group.addTask {
                    try await DeviceRegistry.update(ring: counting, identity: me) { $0.recordBackup(id: id, name: "d\(n)", at: Int64(n + 1)) }
                }
            }
            try await group.waitForAll()
        }
        await ring.slowDown(by: .zero)
        let list = try await DeviceRegistry.load(ring: ring, identity: me)
        #expect(Set(list.devices.map(\.id)) == Set(ids))
        // They did collide (every read was at once), and compare-and-swap sent the losers back to merge.
        #expect(await counting.casFailures >= 1)
        let record = try #require(try await ring.getRecord(key: DeviceRegistry.key(identity: me)))
        #expect(record.seq == UInt64(ids.count))
    }

    @Test func aLostUpdateIsRetried() async throws {
        let id = DeviceID.random()
        await ring.loseNextRecordUpdate()
        try await DeviceRegistry.update(ring: ring, identity: me) { $0.register(id: id, name: "x") }
        #expect(try await DeviceRegistry.load(ring: ring, identity: me)[id]?.name == "x")
    }

    @Test func noChangeWritesNothing() async throws {
        let id = DeviceID.random()
        try await DeviceRegistry.update(ring: ring, identity: me) { $0.recordBackup(id: id, name: "x", at: 5) }
        try await DeviceRegistry.update(ring: ring, identity: me) { $0.recordBackup(id: id, name: "x", at: 4) }
        #expect(try await ring.getRecord(key: DeviceRegistry.key(identity: me))?.seq == 1)
        let other = Identity.generate()
        try await DeviceRegistry.update(ring: ring, identity: other) { _ in }
        #expect(try await ring.getRecord(key: DeviceRegistry.key(identity: other)) == nil)
    }

    @Test func aListThatWouldNotFitIsAClearErrorAndNothingIsWritten() async throws {
        try await DeviceRegistry.update(ring: ring, identity: me) { $0.register(id: .random(), name: "first") }
        let long = String(repeating: "n", count: 200)
        do {
            try await DeviceRegistry.update(ring: ring, identity: me) { list in
                for _ in 0..<30 { list.register(id: .random(), name: long) }
            }
            Issue.record("a list over 4 KiB was stored")
        } catch let error as BackupError {
            #expect(error.code == .deviceRegistry)
            #expect(error.message.contains("4096-byte record limit"))
            #expect(error.message.contains("`-operation sync -folder NAME -stop`"), "\(error)")
        }
        #expect(try await DeviceRegistry.load(ring: ring, identity: me).devices.map(\.name) == ["first"])
    }

    @Test func aListFromANewerClientIsNotOverwritten() async throws {
        var plain = try DeviceList(devices: [.init(id: .random(), name: "new")]).encoded()
        plain[0] = DeviceList.formatVersion + 1
        let value = try SealedObject.seal(plain, kind: .devices, key: me.keys.devicesValue, nonce: SecureRandom.bytes(24))
        try await ring.putRecord(try SignedRecord(signing: value, salt: DeviceRegistry.salt(keys: me.keys), seq: 1, with: me.signing), expectedSeq: 0)
        await #expect(throws: BackupError.self) {
            try await DeviceRegistry.update(ring: ring, identity: me) { $0.register(id: .random(), name: "old") }
        }
        #expect(try await ring.getRecord(key: DeviceRegistry.key(identity: me))?.seq == 1)
    }

    @Test func aRolledBackListIsRefusedWithHeadMemory() async throws {
        let tmp = try TemporaryDirectory(prefix: "devices")
        defer { tmp.remove() }
        let heads = HeadMemory(home: ClientHome(path: tmp.path))
        try await DeviceRegistry.update(ring: ring, identity: me, heads: heads) { $0.register(id: .random(), name: "a") }
        let old = try #require(try await ring.getRecord(key: DeviceRegistry.key(identity: me)))
        try await DeviceRegistry.update(ring: ring, identity: me, heads: heads) { $0.register(id: .random(), name: "b") }
        let stale = InMemoryRing()
        try await stale.putRecord(old, expectedSeq: nil)
        await #expect(throws: BackupError.self) { try await DeviceRegistry.load(ring: stale, identity: me, heads: heads) }
    }

    @Test func aSeenListTheRingNoLongerServesIsRefusedAndNotOverwritten() async throws {
        let tmp = try TemporaryDirectory(prefix: "devices")
        defer { tmp.remove() }
        let heads = HeadMemory(home: ClientHome(path: tmp.path))
        let a = DeviceID.random()
        try await DeviceRegistry.update(ring: ring, identity: me, heads: heads) { $0.register(id: a, name: "a") }
        let key = DeviceRegistry.key(identity: me)
        let kept = try #require(try await ring.getRecord(key: key))
        await ring.dropRecord(key: key)
        let loaded = await #expect(throws: BackupError.self) { try await DeviceRegistry.load(ring: ring, identity: me, heads: heads) }
        let updated = await #expect(throws: BackupError.self) {
            try await DeviceRegistry.update(ring: ring, identity: me, heads: heads) { $0.register(id: .random(), name: "b") }
        }
        for error in [loaded, updated] {
            #expect(error?.code == .staleHead, "\(String(describing: error))")
            #expect(error?.message.contains("the ring did not serve your device list (last seen at seq 1)") == true)
        }
        #expect(try await ring.getRecord(key: key) == nil)
        // Once the ring serves it again, both go on, and the update keeps what was there.
        try await ring.putRecord(kept, expectedSeq: nil)
        try await DeviceRegistry.update(ring: ring, identity: me, heads: heads) { $0.register(id: .random(), name: "b") }
        #expect(try await DeviceRegistry.load(ring: ring, identity: me, heads: heads).devices.map(\.name) == ["a", "b"])
    }

    @Test func aBackupRegistersItsHomeAndNotesANamesakeOrAFailure() async throws {
        let tmp = try TemporaryDirectory(prefix: "devices")
        defer { tmp.remove() }
        let (a, b) = (ClientHome(path: tmp.sub("a")), ClientHome(path: tmp.sub("b")))
        #expect(await DeviceRegistry.registerBackup(ring: ring, identity: me, home: a, device: "laptop") == nil)
        #expect(await DeviceRegistry.registerBackup(ring: ring, identity: me, home: a, device: "laptop") == nil)
        let note = await DeviceRegistry.registerBackup(ring: ring, identity: me, home: b, device: "laptop")
        let idA = try DeviceID.ofHome(a)
        #expect(note?.contains("another device (id \(idA.short)) is also named 'laptop'") == true, "\(note ?? "")")
        #expect(await DeviceRegistry.registerBackup(ring: ring, identity: me, home: b, device: "desk") == nil)
        let list = try await DeviceRegistry.load(ring: ring, identity: me)
        let idB = try DeviceID.ofHome(b)
        #expect(list.devices.map(\.name) == ["laptop", "desk"] && list[idB]?.name == "desk")
        #expect(list.devices.allSatisfy { $0.lastBackup != nil })
        // A ring that refuses the update: a note, not a failure.
        try "garbage\n".write(toFile: HeadMemory(home: a).path, atomically: true, encoding: .utf8)
        let failed = await DeviceRegistry.registerBackup(ring: ring, identity: me, home: a, device: "laptop")
        #expect(failed?.hasPrefix("the backup is stored, but the device list was not updated") == true, "\(failed ?? "")")
    }

    @Test func aHomeKeepsItsDeviceID() throws {
        let tmp = try TemporaryDirectory(prefix: "devices")
        defer { tmp.remove() }
        let home = ClientHome(path: tmp.sub("home"))
        let id = try DeviceID.ofHome(home)
        #expect(try DeviceID.ofHome(home) == id)
        #expect(try DeviceID.ofHome(ClientHome(path: tmp.sub("other"))) != id)
        let json = try JSONEncoder().encode([id])
        #expect(String(decoding: json, as: UTF8.self) == "[\"\(id.hex)\"]")
        #expect(try JSONDecoder().decode([DeviceID].self, from: json) == [id])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([DeviceID].self, from: Data("[\"abcd\"]".utf8)) }
        try "not hex\n".write(toFile: DeviceID.path(in: home), atomically: true, encoding: .utf8)
        #expect(throws: BackupError.self) { try DeviceID.ofHome(home) }
    }
}

/// Forwards to an `InMemoryRing`, counting record puts refused by compare-and-swap.
actor CountingRing: ForwardingRing {
    nonisolated let inner: InMemoryRing
    private(set) var casFailures = 0

    init(inner: InMemoryRing) { self.inner = inner }

    func putRecord(_ record: SignedRecord, expectedSeq: UInt64?) async throws -> Bool {
        do {
            return try await inner.putRecord(record, expectedSeq: expectedSeq)
        } catch let error as WireError where error.code == .casFailed {
            casFailures += 1
            throw error
        }
    }
}
