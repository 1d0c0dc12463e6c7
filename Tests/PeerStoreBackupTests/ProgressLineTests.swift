import PeerStoreBackup
import Testing

@Suite struct ProgressLineTests {
    @Test func withoutTotalsOnlyCountsAndRate() {
        let line = ProgressLine.text(.init(files: 12, bytes: 3 << 20, seconds: 2), verb: "backed up")
        #expect(line == "backed up 12 files, 3.00 MiB, 1.50 MiB/s")
    }

    @Test func withTotalsPercentAndETA() {
        let r = TransferProgress.Reading(files: 5, bytes: 100 << 20, totalFiles: 20, totalBytes: 400 << 20, seconds: 10)
        #expect(ProgressLine.text(r, verb: "restored") == "restored 5 of 20 files, 100.00 MiB of 400.00 MiB (25%), 10.00 MiB/s, ETA 0:30")
    }

    @Test func clockFormats() {
        #expect(ProgressLine.clock(59.6) == "1:00")
        #expect(ProgressLine.clock(3725) == "1:02:05")
        #expect(ProgressLine.clock(-3) == "0:00")
    }

    @Test func jsonLineHasTheCounters() {
        let r = TransferProgress.Reading(files: 1, bytes: 2, totalFiles: 3, totalBytes: 4, seconds: 0.5)
        #expect(ProgressLine.json(r) == #"{"type":"progress","files":1,"bytes":2,"totalFiles":3,"totalBytes":4,"seconds":0.50}"#)
    }
}
