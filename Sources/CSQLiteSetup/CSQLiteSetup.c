#include "CSQLiteSetup.h"
#include <sqlite3.h>

int sparkledger_sqlite_configure_process(void) {
    int mode = sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    if (mode != SQLITE_OK) return mode;
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
