import ChordRing
import PeerStoreBackup
import PeerStoreCrypto
import PeerStoreModel
import Testing

/// Grants sealed and opened: only the recipient opens, nothing altered passes, every bound holds.
@Suite struct ShareGrantTests {
    let alice = Identity.generate()
    let bob = Identity.generate()
    let carol = Identity.generate()

    func grant(content: TreeEntry.Content = .manifest(id: BlockID.of([1, 2, 3]), sessionKey: SecureRandom.bytes(32)),
               size: UInt64 = 5_000_000, message: String = "the report", name: FileName = "report.pdf") -> ShareGrant {
        ShareGrant(shareID: SecureRandom.bytes(16), version: 1, sender: alice.signing.publicKey, recipient: bob.signing.publicKey,
                   time: 1_700_000_000_000_000_000, name: name, size: size, mode: 0o640,
                   mtime: Timestamp(seconds: 1_700_000_000, nanoseconds: 5), message: message, content: content)
    }

    @Test func theRecipientOpensWhatWasSealed() throws {
        let inline = TreeEntry.Content.inline([ChunkRef(blockID: BlockID.of([9]), key: SecureRandom.bytes(32), length: 1234)])
        for g in [grant(), grant(content: inline, size: 1234), grant(content: .none, size: 0, message: ""),
                  grant(name: FileName(bytes: [0x66, 0xff, 0x80]))] {
            let sealed = try SealedShare.seal(g, signer: alice.signing)
            #expect(try SealedShare.open(sealed, as: bob) == g)
        }
    }

    @Test func aRestoredShareNeverCarriesSetUserIDBits() throws {
        var g = grant()
        g.mode = 0o6755
        let opened = try SealedShare.open(try SealedShare.seal(g, signer: alice.signing), as: bob)
        #expect(opened.mode == 0o6755 && opened.entry.mode == 0o755)
    }

    @Test func namesAndMessagesAreShownOnOneLine() {
        var g = grant(message: "line one\nline two\u{1b}[2J\u{202e}", name: FileName(bytes: Array("a\u{1b}[31mb\r".utf8) + [0xff]))
        #expect(g.shownMessage == "line one line two [2J ")
        #expect(g.shownName == "a\\x1b[31mb\\x0d\\xff")  // as every name is shown: control bytes escaped
        g.name = "left\u{202e}right\u{85}"
        #expect(g.shownName == "left right ")
        g.message = "plain"
        #expect(g.shownMessage == "plain")
    }

    @Test func anotherUserIsToldItIsNotForThem() throws {
        let sealed = try SealedShare.seal(grant(), signer: alice.signing)
        #expect { try SealedShare.open(sealed, as: carol) } throws: { ($0 as? BackupError)?.code == .notForYou }
        // Even the sender cannot open what she sealed to Bob.
        #expect { try SealedShare.open(sealed, as: alice) } throws: { ($0 as? BackupError)?.code == .notForYou }
    }

    @Test func everyAlteredByteIsRejected() throws {
        let sealed = try SealedShare.seal(grant(), signer: alice.signing)
        for i in stride(from: 9, to: sealed.count, by: 7) {
            var bad = sealed
            bad[i] ^= 0x20
            #expect(throws: BackupError.self, "byte \(i)") { try SealedShare.open(bad, as: bob) }
            do { _ = try SealedShare.open(bad, as: bob) } catch let e as BackupError { #expect(e.code == .badShare, "byte \(i)") }
        }
        #expect { try SealedShare.open(Array(sealed.dropLast()), as: bob) } throws: { ($0 as? BackupError)?.code == .badShare }
        #expect { try SealedShare.open([2] + sealed.dropFirst(), as: bob) } throws: { ($0 as? BackupError)?.code == .badShare }
    }

    @Test func aGrantSignedByAnotherKeyIsRejected() throws {
        // Carol seals to Bob a grant that claims to be from Alice: she can seal (anyone can), but not sign as Alice.
        var forged = grant()
        forged.sender = carol.signing.publicKey
        var signed = try forged.signed(by: carol.signing)
        // Put Alice's key where the sender is (bytes 21..<53 of the body): the signature no longer matches.
        signed.replaceSubrange(21..<53, with: alice.signing.publicKey)
        let box = try BoxKeyPair.seal(signed, to: try RecipientKey.sealingKey(for: bob.signing.publicKey))
        let sealed = [SealedShare.formatVersion] + RecipientKey.hint(for: bob.signing.publicKey) + box
        #expect { try SealedShare.open(sealed, as: bob) } throws: {
            ($0 as? BackupError)?.code == .badShare && "\($0)".contains("signature")
        }
        #expect(throws: BackupError.self) { try forged.signed(by: alice.signing) }
    }

    @Test func aGrantPassedOnToAnotherUserIsRejected() throws {
        // Bob re-seals Alice's grant (made out to him) to Carol: it opens, but it names Bob, so Carol refuses it.
        let signed = try grant().signed(by: alice.signing)
        let box = try BoxKeyPair.seal(signed, to: try RecipientKey.sealingKey(for: carol.signing.publicKey))
        let sealed = [SealedShare.formatVersion] + RecipientKey.hint(for: carol.signing.publicKey) + box
        #expect { try SealedShare.open(sealed, as: carol) } throws: {
            ($0 as? BackupError)?.code == .badShare && "\($0)".contains("another user")
        }
    }

    @Test func boundsAreKept() throws {
        #expect(throws: BackupError.self) { try grant(message: String(repeating: "m", count: 1025)).signed(by: alice.signing) }
        #expect(throws: BackupError.self) { try grant(name: "a/b").signed(by: alice.signing) }
        #expect(throws: BackupError.self) { try grant(content: .subtree(BlockID.of([1]))).signed(by: alice.signing) }
        // Inline chunks that do not add up to the size, and content for an empty file, are refused on opening.
        let inline = TreeEntry.Content.inline([ChunkRef(blockID: BlockID.of([9]), key: SecureRandom.bytes(32), length: 10)])
        for bad in [grant(content: inline, size: 11), grant(content: .none, size: 3)] {
            let sealed = try SealedShare.seal(bad, signer: alice.signing)
            #expect { try SealedShare.open(sealed, as: bob) } throws: { ($0 as? BackupError)?.code == .badShare }
        }
        // The largest grant there can be (longest name and message, four inline chunks) fits a share.
        let refs = (0..<4).map { ChunkRef(blockID: BlockID.of([UInt8($0)]), key: SecureRandom.bytes(32), length: 1) }
        let largest = grant(content: .inline(refs), size: 4, message: String(repeating: "é", count: 512),
                            name: FileName(String(repeating: "n", count: 1024)))
        #expect(try SealedShare.seal(largest, signer: alice.signing).count <= SealedShare.maxLength)
    }

    /// Version 1's bytes are pinned: a later build must still read grants (and tokens) made now.
    @Test func theVersion1BytesArePinned() throws {
        let sender = try SigningKeyPair(seed: [UInt8](repeating: 1, count: 32))
        let recipient = try SigningKeyPair(seed: [UInt8](repeating: 2, count: 32))
        let g = ShareGrant(shareID: [UInt8](repeating: 3, count: 16), version: 2, sender: sender.publicKey, recipient: recipient.publicKey,
                           time: 1_764_590_000_000_000_000, name: "notes.txt", size: 9, mode: 0o644,
                           mtime: Timestamp(seconds: 1_764_590_000, nanoseconds: 7), message: "hi",
                           content: .inline([ChunkRef(blockID: Identifier(bytes: Blake2b.hash([4], outputLength: 32))!,
                                                      key: [UInt8](repeating: 5, count: 32), length: 9)]))
        let signed = try g.signed(by: sender)
        #expect(Hex.encode(Blake2b.hash(signed, outputLength: 16)) == "003f70c48285ad2186e75517007b0cc9")
        #expect(try ShareGrant.verified(signed) == g)
    }
}
