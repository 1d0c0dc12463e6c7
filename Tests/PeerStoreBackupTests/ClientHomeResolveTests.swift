import PeerStoreBackup
import Testing

@Suite struct ClientHomeResolveTests {
    @Test func flagThenPeerstoreHomeThenHome() {
        #expect(ClientHome.resolve(explicit: "/a", environment: ["PEERSTORE_HOME": "/b", "HOME": "/c"]).path == "/a")
        #expect(ClientHome.resolve(explicit: nil, environment: ["PEERSTORE_HOME": "/b", "HOME": "/c"]).path == "/b")
        #expect(ClientHome.resolve(explicit: nil, environment: ["PEERSTORE_HOME": "", "HOME": "/c"]).path == "/c/.peerstore")
        #expect(ClientHome.resolve(explicit: "", environment: ["HOME": "/c"]).path == "/c/.peerstore")
    }

    @Test func countsSayOneInTheSingular() {
        #expect(Format.count(1, "file") == "1 file")
        #expect(Format.count(0, "folder") == "0 folders")
        #expect(Format.count(19_998, "file") == "19,998 files")
    }
}
