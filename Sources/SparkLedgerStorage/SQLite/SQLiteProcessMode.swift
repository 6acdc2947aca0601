import CSQLiteSetup

/// How the process's SQLite library runs, set once by an executable before it opens anything.
///
/// Debian's SQLite defaults to serialised mode: every call on a connection (each bind, step and
/// column read) takes that connection's mutex, and every allocation a global one for memory
/// statistics. GRDB already confines each connection to one thread at a time, so multi-thread
/// mode is as safe and skips both: the writer spent ~6 % less CPU on a 1M-event ingest
/// (docs/PERFORMANCE.md). Libraries and tests leave the default alone.
public enum SQLiteProcessMode {
    /// Multi-thread mode without memory statistics. Call first thing in `main`, before any
    /// other thread or database connection exists. Returns false (and changes nothing) when
    /// SQLite was already initialised.
    @discardableResult
    public static func useMultiThreadMode() -> Bool {
        sparkledger_sqlite_configure_process() == 0
    }
}
