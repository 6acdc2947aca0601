import Foundation
import Glibc

/// Names the calling thread for the operating system, where `top -H`, `perf` and
/// `/proc/<pid>/task/<tid>/comm` show it. Foundation's `Thread.name` does not reach it on Linux,
/// so every thread of an ingest showed the process's name. Linux keeps the first 15 bytes.
/// `pthread_setname_np` is a GNU extension that Swift's Glibc module leaves out, so it is looked
/// up once by name (as `MemoryRelease` looks up `malloc_trim`).
public enum ThreadName {
    /// The longest name Linux keeps, in bytes.
    public static let maximumLength = 15

    private typealias SetName = @convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32

    private static let setName: SetName? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_setname_np") else { return nil }
        return unsafeBitCast(symbol, to: SetName.self)
    }()

    /// Starts `body` on a new thread named `name`: every thread SparkLedger starts goes through
    /// here, so none is left with the process's name.
    public static func startThread(named name: String, _ body: @escaping @Sendable () -> Void) {
        Thread {
            setCurrent(name)
            body()
        }.start()
    }

    public static func setCurrent(_ name: String) {
        guard let setName else { return }
        let kept = String(decoding: name.utf8.prefix(maximumLength), as: UTF8.self)
        _ = kept.withCString { setName(pthread_self(), $0) }
    }
}
