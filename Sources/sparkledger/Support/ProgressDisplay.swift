import Foundation
import SparkLedgerIngest
import SparkLedgerStorage
import Synchronization

/// A one-line progress bar for a terminal, redrawn a few times a second from the ingest's live
/// counters. Draws nothing when standard output is not a terminal (CI logs, pipes).
final class ProgressDisplay: Sendable {
    private let progress: IngestProgress
    private let running = Atomic<Bool>(true)
    private let finished = DispatchSemaphore(value: 0)
    private let enabled: Bool

    init(progress: IngestProgress, enabled: Bool = Terminal.standardOutputIsTerminal) {
        self.progress = progress
        self.enabled = enabled
    }

    func start() {
        guard enabled else { return }
        ThreadName.startThread(named: "sl-progress") { [self] in
            let started = Date()
            while running.load(ordering: .relaxed) {
                draw(elapsed: Date().timeIntervalSince(started))
                Thread.sleep(forTimeInterval: 0.25)
            }
            FileHandle.standardOutput.write(Data("\r\u{1B}[2K".utf8))
            finished.signal()
        }
    }

    func stop() {
        guard enabled else { return }
        running.store(false, ordering: .relaxed)
        finished.wait()
    }

    private func draw(elapsed: Double) {
        let read = progress.bytesRead.load(ordering: .relaxed)
        let total = progress.bytesTotal.load(ordering: .relaxed)
        let records = progress.recordsCommitted.load(ordering: .relaxed)
        let rate = elapsed > 0 ? Double(records) / elapsed : 0
        var line = "\r\u{1B}[2K"
        if total > 0 {
            let fraction = min(1, Double(read) / Double(total))
            let width = 30
            let filled = Int(fraction * Double(width))
            line += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            line += String(format: "%3.0f%%  %@ / %@", fraction * 100, Formatting.bytes(read), Formatting.bytes(total))
            if fraction > 0.02 {
                line += String(format: "  ETA %.0f s", elapsed / fraction - elapsed)
            }
        } else {
            line += Formatting.bytes(read) + " read"
        }
        line += "  \(Formatting.count(records)) records  \(Formatting.count(Int64(rate))) /s"
        FileHandle.standardOutput.write(Data(line.utf8))
    }
}
