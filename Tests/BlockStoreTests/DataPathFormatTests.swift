import BlockStore
import Foundation
import Testing

/// The data path's `FORMAT` mark: written where there is none (a new data path, or one of a build before the mark),
/// and a data path marked by a newer build is refused before anything of it is read or cut.
@Suite struct DataPathFormatTests {
    func mark(_ path: String) -> String? {
        FileManager.default.contents(atPath: path + "/FORMAT").map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func aNewDataPathIsMarkedWithTheCurrentFormat() async throws {
        try await withDataPath { path in
            let store = try BlockStore(path: path)
            store.close()
            #expect(mark(path) == "peerstore data path format \(DataPathFormat.current.version)\n")
        }
    }

    /// A data path of a build before the mark (no FORMAT file) opens with its blocks and is marked.
    @Test func anUnmarkedDataPathOpensAndIsMarked() async throws {
        try await withDataPath { path in
            let block = randomBlock(1000)
            do {
                let store = try BlockStore(path: path)
                _ = try await store.put(id: block.id, bytes: block.bytes)
                store.close()
            }
            try FileManager.default.removeItem(atPath: path + "/FORMAT")
            let store = try BlockStore(path: path)
            defer { store.close() }
            #expect(try store.get(id: block.id) == block.bytes)
            #expect(mark(path) == "peerstore data path format \(DataPathFormat.current.version)\n")
        }
    }

    /// A newer build's data path, with an entry this build cannot read at the end of its segment: refused with what to
    /// do, and the segment is left byte for byte as it was (this build would have cut the entry as a torn tail).
    @Test func aNewerFormatIsRefusedAndNothingIsCut() async throws {
        try await withDataPath { path in
            do {
                let store = try BlockStore(path: path)
                let block = randomBlock(1000)
                _ = try await store.put(id: block.id, bytes: block.bytes)
                store.close()
            }
            let segment = try #require(try segmentFiles(path).last)
            try appendBytes(Array("PSE9 an entry of a format to come".utf8), to: segment)
            let before = try #require(FileManager.default.contents(atPath: segment))
            try Data("peerstore data path format \(DataPathFormat.current.version + 1)\n".utf8).write(to: URL(fileURLWithPath: path + "/FORMAT"))
            let error = try #require(throws: BlockStoreError.self) { try BlockStore(path: path) }
            #expect(error.code == .newerFormat)
            #expect(error.message.contains("newer peerstore-server") && error.message.contains("format \(DataPathFormat.current.version + 1)"), "\(error.message)")
            #expect(FileManager.default.contents(atPath: segment) == before)
        }
    }

    /// A FORMAT file that is not a mark is refused rather than overwritten: it may be another program's file.
    @Test func aGarbledMarkIsRefused() async throws {
        try await withDataPath { path in
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            for text in ["hello\n", "peerstore data path format 0\n", "peerstore data path format x\n", ""] {
                try Data(text.utf8).write(to: URL(fileURLWithPath: path + "/FORMAT"))
                let error = try #require(throws: BlockStoreError.self, "\(text)") { try BlockStore(path: path) }
                #expect(error.code == .io && error.message.contains("FORMAT"), "\(error.message)")
            }
        }
    }
}
