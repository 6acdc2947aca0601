#ifndef CSQLITESETUP_H
#define CSQLITESETUP_H

/// Puts the process's SQLite in multi-thread mode (no mutex around each call on a connection;
/// GRDB already confines every connection to one thread at a time) and turns off its memory
/// statistics (no global mutex around each allocation). sqlite3_config is variadic, which Swift
/// cannot call, hence this C function.
///
/// Call once, before any database connection opens and while no other thread uses SQLite.
/// Returns SQLite's result code: 0 when both took effect, SQLITE_MISUSE (21) when SQLite was
/// already initialised (nothing changes then; every connection stays serialised and correct).
int sparkledger_sqlite_configure_process(void);

#endif
