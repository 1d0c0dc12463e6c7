import Testing
@testable import PeerStoreBackup

struct RestoredNamesTests {
    /// Every name put in is found, and names never put in (neighbours, prefixes, the empty name) are not.
    @Test func findsWhatWasInsertedAndNothingElse() {
        var names = RestoredNames()
        let written = (0..<20_000).map { "dir\($0 / 100)/file\($0).txt" }
        for name in written { names.insert(name) }
        for name in written { #expect(names.contains(name)) }
        let others = (20_000..<40_000).map { "dir\($0 / 100)/file\($0).txt" } + ["", "dir0", "dir0/file0.tx", "dir0/file0.txt/"]
        #expect(others.filter { names.contains($0) }.isEmpty)
    }
}
