import Glibc
import Synchronization

/// Returns memory the allocator holds but no longer uses to the operating system.
///
/// glibc keeps freed memory for reuse, per thread arena; after a transaction the ingest threads
/// have freed tens of megabytes that would otherwise stay resident. `malloc_trim` is not in Swift's
/// Glibc module, so it is looked up once by name. In the `sparkledger` executable mimalloc
/// replaces glibc's malloc and returns freed memory on its own; this then finds glibc's arenas
/// empty (test binaries keep glibc's malloc).
///
/// One trim at a time: a caller that finds another trim running skips its own (that one walks
/// every arena anyway). Two concurrent trims, from two stores committing at once in the test
/// process, crashed once inside glibc 2.36's `malloc_trim` on a corrupt free list; an
/// AddressSanitizer run of the whole suite found no memory error in the code around it.
enum MemoryRelease {
    private typealias Trim = @convention(c) (Int) -> Int32

    private static let trim: Trim? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: Trim.self)
    }()

    private static let trimming = Atomic<Bool>(false)

    static func releaseFreedMemory() {
        guard let trim, !trimming.exchange(true, ordering: .acquiring) else { return }
        defer { trimming.store(false, ordering: .releasing) }
        _ = trim(0)
    }
}
