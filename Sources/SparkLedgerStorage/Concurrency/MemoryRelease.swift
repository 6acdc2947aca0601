import Glibc

/// Returns memory the allocator holds but no longer uses to the operating system.
///
/// glibc keeps freed memory for reuse, per thread arena; after a transaction the ingest threads
/// have freed tens of megabytes that would otherwise stay resident. `malloc_trim` is not in Swift's
/// Glibc module, so it is looked up once by name. In the `sparkledger` executable mimalloc
/// replaces glibc's malloc and returns freed memory on its own; this then finds glibc's arenas
/// empty (test binaries keep glibc's malloc).
enum MemoryRelease {
    private typealias Trim = @convention(c) (Int) -> Int32

    private static let trim: Trim? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: Trim.self)
    }()

    static func releaseFreedMemory() {
        _ = trim?(0)
    }
}
