#ifndef PILOT_CSQLITE_SHIM_H
#define PILOT_CSQLITE_SHIM_H

#include <sqlite3.h>

/* SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift cannot
   import: SQLite copies the bound bytes before the bind call returns. */
static inline sqlite3_destructor_type pilot_sqlite3_transient(void) {
    return SQLITE_TRANSIENT;
}

/* sqlite3_config is variadic. Memory statistics take a process-wide mutex around every
   allocation; nothing of ours reads them. Only valid before SQLite initializes. */
static inline int pilot_sqlite3_config_memstatus(int on) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, on);
}

/* sqlite3_db_config is variadic; this wraps its on/off options (SQLITE_DBCONFIG_*). */
static inline int pilot_sqlite3_db_config_flag(sqlite3 *db, int option, int on) {
    return sqlite3_db_config(db, option, on, (int *)0);
}

#endif
