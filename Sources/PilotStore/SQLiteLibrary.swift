import CSQLite

/// Process-wide SQLite settings, applied once before the first connection opens.
enum SQLiteLibrary {
    /// Turns memory statistics off: with them on, every allocation of every connection
    /// takes one global mutex, which costs about 5% of a write-heavy workload and makes
    /// threads contend. `sqlite3_config` refuses (`SQLITE_MISUSE`) once SQLite has been
    /// initialized, e.g. by another library in the process; the setting is then simply
    /// left as it was.
    static let configured: Void = {
        _ = pilot_sqlite3_config_memstatus(0)
        _ = sqlite3_initialize()
    }()
}
