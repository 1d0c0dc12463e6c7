import PeerStoreBackup
import Testing

@Suite struct ExcludeRulesTests {
    func path(_ s: String) -> [FileName] { s.split(separator: "/").map { FileName(String($0)) } }

    @Test func aNameWithoutSlashMatchesAtAnyDepth() {
        let rules = ExcludeRules(patterns: ["*.tmp", "node_modules"])
        #expect(rules.excludes(path("a.tmp"), isDirectory: false))
        #expect(rules.excludes(path("x/y/z.tmp"), isDirectory: false))
        #expect(rules.excludes(path("web/node_modules"), isDirectory: true))
        #expect(!rules.excludes(path("a.tmp.keep"), isDirectory: false))
        #expect(!rules.excludes(path("tmp"), isDirectory: false))
    }

    @Test func aSlashAnchorsThePattern() {
        let rules = ExcludeRules(patterns: ["/build", "docs/*.pdf"])
        #expect(rules.excludes(path("build"), isDirectory: true))
        #expect(!rules.excludes(path("src/build"), isDirectory: true))
        #expect(rules.excludes(path("docs/a.pdf"), isDirectory: false))
        #expect(!rules.excludes(path("x/docs/a.pdf"), isDirectory: false))
        #expect(!rules.excludes(path("docs/sub/a.pdf"), isDirectory: false))  // * stays within one name
    }

    @Test func doubleStarSpansFolders() {
        let rules = ExcludeRules(patterns: ["**/cache/*", "logs/**/*.log"])
        #expect(rules.excludes(path("cache/a"), isDirectory: false))
        #expect(rules.excludes(path("a/b/cache/c"), isDirectory: false))
        #expect(!rules.excludes(path("a/b/cache"), isDirectory: true))
        #expect(rules.excludes(path("logs/x.log"), isDirectory: false))
        #expect(rules.excludes(path("logs/2026/11/x.log"), isDirectory: false))
        #expect(!rules.excludes(path("logs/2026/x.txt"), isDirectory: false))
    }

    @Test func aTrailingSlashMatchesFoldersOnly() {
        let rules = ExcludeRules(patterns: ["logs/"])
        #expect(rules.excludes(path("a/logs"), isDirectory: true))
        #expect(!rules.excludes(path("a/logs"), isDirectory: false))
    }

    @Test func anIgnoreFileAppliesBelowItsFolder() {
        let text = "# comments and blank lines are skipped\n\n*.o\n/out  \nsecret?.txt\n"
        let rules = ExcludeRules().adding(ignoreFile: text, in: ["proj"])
        #expect(rules.excludes(path("proj/a.o"), isDirectory: false))
        #expect(rules.excludes(path("proj/lib/b.o"), isDirectory: false))
        #expect(!rules.excludes(path("other/a.o"), isDirectory: false))
        #expect(rules.excludes(path("proj/out"), isDirectory: true))
        #expect(!rules.excludes(path("proj/lib/out"), isDirectory: true))
        #expect(rules.excludes(path("proj/secret1.txt"), isDirectory: false))
        #expect(!rules.excludes(path("proj"), isDirectory: true))
        #expect(!rules.excludes(path("proj/# comments and blank lines are skipped"), isDirectory: false))
    }

    @Test func bracketsAndQuestionMarks() {
        let rules = ExcludeRules(patterns: ["[ab]?.bin"])
        #expect(rules.excludes(path("a1.bin"), isDirectory: false))
        #expect(rules.excludes(path("bz.bin"), isDirectory: false))
        #expect(!rules.excludes(path("c1.bin"), isDirectory: false))
        #expect(!rules.excludes(path("a12.bin"), isDirectory: false))
    }

    /// Names that are not UTF-8 are matched by their bytes, in ignore files' folders too.
    @Test func namesThatAreNotUTF8MatchByTheirBytes() {
        let latin1 = FileName(bytes: Array("caf".utf8) + [0xe9])
        let broken = FileName(bytes: [0xfd] + Array(".skip".utf8))
        let folder = FileName(bytes: [0xff, 0xfe])
        let rules = ExcludeRules(patterns: ["*.skip", "/caf?"]).adding(ignoreFile: "*.o\n", in: [folder])
        #expect(rules.excludes([broken], isDirectory: false))
        #expect(rules.excludes([folder, broken], isDirectory: false))
        #expect(rules.excludes([latin1], isDirectory: false))
        #expect(!rules.excludes([folder, latin1], isDirectory: false))
        #expect(rules.excludes([folder, FileName(bytes: [0x80, 0x2e, 0x6f])], isDirectory: false))
        #expect(!rules.excludes([FileName(bytes: [0x80, 0x2e, 0x6f])], isDirectory: false))
    }
}
