import ChordRing
import Foundation
import PeerStoreCrypto
import PeerStoreModel
import PeerStoreTestKit
import Testing

@testable import PeerStoreBackup

/// What a client takes as the head of a device, and what it remembers of heads it saw.
struct HeadRecordCheckTests {
    let identity = Identity.generate()

    func head(_ device: String, seq: UInt64, signer: SigningKeyPair? = nil) throws -> SignedRecord {
        let value = try HeadPointer(snapshot: BlockID.of([UInt8(seq)]), time: 1).sealedValue(keys: identity.keys)
        return try SignedRecord(signing: value, salt: HeadPointer.salt(device: device, keys: identity.keys), seq: seq,
                                with: signer ?? identity.signing)
    }

    func key(_ device: String) -> Identifier {
        SignedRecord.key(owner: identity.signing.publicKey, salt: HeadPointer.salt(device: device, keys: identity.keys))
    }

    func check(_ record: SignedRecord?, for device: String = "laptop", lastSeen: UInt64 = 0) throws -> SignedRecord? {
        try HeadRecordCheck.check(record, key: key(device), owner: identity.signing.publicKey, device: device, lastSeen: lastSeen)
    }

    @Test func theHeadAskedForAtOrAboveTheLastSeenSeqIsTaken() throws {
        #expect(try check(head("laptop", seq: 5), lastSeen: 5)?.seq == 5)
        #expect(try check(head("laptop", seq: 6), lastSeen: 5)?.seq == 6)
        #expect(try check(nil) == nil)
    }

    @Test func anotherDevicesHeadIsRefused() throws {
        // Signed by the same user and sealed under the same keys: only its record key tells it apart.
        #expect(throws: BackupError(.staleHead, "the ring served another record than the head of device 'laptop': a node may be stale or malicious; try again later")) {
            try check(head("desktop", seq: 9))
        }
    }

    @Test func anOlderHeadIsRefused() throws {
        #expect(throws: BackupError(.staleHead, "the ring served an older head for device 'laptop' (seq 3, last seen 5): a node may be stale or malicious; try again later")) {
            try check(head("laptop", seq: 3), lastSeen: 5)
        }
    }

    @Test func noHeadIsNoneAndTheNextHeadContinuesAboveTheLastSeen() throws {
        // A new or wiped ring: no head. The next one must not restart at 1, or the older heads seen could come back.
        #expect(try check(nil, lastSeen: 5) == nil)
        #expect(HeadRecordCheck.nextSeq(previous: nil, lastSeen: 5) == 6)
        #expect(HeadRecordCheck.nextSeq(previous: try head("laptop", seq: 7), lastSeen: 5) == 8)
        #expect(HeadRecordCheck.nextSeq(previous: nil, lastSeen: 0) == 1)
    }

    @Test func aRecordSeenButNotServedIsRefusedWhereAsked() throws {
        try HeadRecordCheck.requireServed(nil, lastSeen: 0, what: "your device list")
        try HeadRecordCheck.requireServed(head("laptop", seq: 1), lastSeen: 4, what: "your device list")
        #expect(throws: BackupError(.staleHead, "the ring did not serve your device list (last seen at seq 4): a node may be stale or restarting; nothing was changed, try again later (if the ring was emptied on purpose, delete the `heads` file in the client home)")) {
            try HeadRecordCheck.requireServed(nil, lastSeen: 4, what: "your device list")
        }
    }

    @Test func aHeadSignedBySomeoneElseIsRefused() throws {
        let other = SigningKeyPair()
        var forged = try head("laptop", seq: 7, signer: other)
        forged.ownerKey = other.publicKey
        #expect(throws: BackupError.self) { try check(forged) }
    }

    @Test func theMemoryKeepsTheHighestSeqPerHeadIn0600() throws {
        let tmp = try TemporaryDirectory(prefix: "heads")
        defer { tmp.remove() }
        let home = ClientHome(path: tmp.sub("home"))
        try home.ensureInitialised()
        let memory = HeadMemory(home: home)
        #expect(try memory.lastSeen(key("laptop")) == 0)
        try memory.remember(5, for: key("laptop"))
        try memory.remember(3, for: key("laptop"))
        try memory.remember(2, for: key("desktop"))
        #expect(try memory.lastSeen(key("laptop")) == 5)
        #expect(try memory.lastSeen(key("desktop")) == 2)
        #expect((try FileManager.default.attributesOfItem(atPath: memory.path)[.posixPermissions] as! NSNumber).intValue == 0o600)
        let text = try String(contentsOfFile: memory.path, encoding: .utf8)
        #expect(text.hasPrefix("peerstore-heads 1\n") && !text.contains("laptop"))
        try Data("junk\n".utf8).write(to: URL(fileURLWithPath: memory.path))
        #expect(throws: BackupError.self) { try memory.lastSeen(key("laptop")) }
    }

    @Test func concurrentUpdatesOfTheMemoryAllSurvive() async throws {
        let tmp = try TemporaryDirectory(prefix: "heads-race")
        defer { tmp.remove() }
        let home = ClientHome(path: tmp.sub("home"))
        try home.ensureInitialised()
        let memory = HeadMemory(home: home)
        let names = (0..<48).map { "device-\($0)" }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (n, name) in names.enumerated() {
                let key = key(name)
                group.addTask { try memory.remember(UInt64(n + 1), for: key) }
            }
            try await group.waitForAll()
        }
        for (n, name) in names.enumerated() { #expect(try memory.lastSeen(key(name)) == UInt64(n + 1)) }
    }
}
