import Foundation
import Glibc
import SparkLedgerStorage
import Synchronization

/// The CPU time each thread of this process used while a phase ran: which thread bounds it, and
/// how much the others had to spare. Threads that end during the phase (the ingest's parser) are
/// gone from `/proc` afterwards, so `/proc/self/task` is read every 50 ms on a thread of its own
/// and each thread's last reading kept (a thread's last 50 ms can be missed).
final class ThreadCPUSampler: @unchecked Sendable {
    struct Usage {
        var name: String
        var seconds: Double
    }

    private let readings = Mutex<[Int32: Usage]>([:])
    /// Each thread's reading when sampling started: threads that outlive a phase (the main one,
    /// a dispatch worker) count only what they used during it.
    private var before: [Int32: Double] = [:]
    private let running = Atomic<Bool>(true)
    private let finished = DispatchSemaphore(value: 0)
    private static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
    static let samplerName = "sl-cpu-sampler"

    func start() {
        sample()
        before = readings.withLock { $0.mapValues(\.seconds) }
        ThreadName.startThread(named: Self.samplerName) { [self] in
            while running.load(ordering: .relaxed) {
                sample()
                usleep(50_000)
            }
            sample()
            finished.signal()
        }
    }

    /// Stops sampling; each thread's CPU seconds, the process's main thread named `main`, the
    /// sampler left out, busiest first.
    func stop() -> [Usage] {
        running.store(false, ordering: .relaxed)
        finished.wait()
        let main = getpid()
        return readings.withLock { readings in
            readings.compactMap { tid, usage -> Usage? in
                guard usage.name != Self.samplerName else { return nil }
                let seconds = usage.seconds - (before[tid] ?? 0)
                return Usage(name: tid == main ? "main" : usage.name, seconds: seconds)
            }
        }.sorted { $0.seconds > $1.seconds }
    }

    private func sample() {
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task") else { return }
        for task in tasks {
            guard let tid = Int32(task), let usage = Self.usage(of: task) else { continue }
            readings.withLock { $0[tid] = usage }
        }
    }

    /// A thread's name and user + system CPU seconds from `/proc/self/task/<tid>/stat`. The name
    /// stands in parentheses and may hold spaces; utime and stime are the 12th and 13th fields
    /// after it.
    private static func usage(of task: String) -> Usage? {
        guard let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8),
              let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return Usage(name: String(stat[stat.index(after: open)..<close]), seconds: (user + system) / ticksPerSecond)
    }
}
