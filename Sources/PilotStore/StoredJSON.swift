import PilotJSON

/// A JSON column as both stores' readers read it: a row that does not parse is a
/// corrupt record naming its table and key.
enum StoredJSON {
    /// Only rows that never change are cached (metrics, issues, feedback: read again every
    /// day). A pilot's state changes with each event, and the outbox is read once: caching
    /// them would only push those rows out.
    static func value(_ text: String, table: String, key: String, cached: Bool = true) throws -> JSONValue {
        cached ? try parsed(text, table: table, key: key).value : try corruptIfThrows(table, key) { () throws(JSONParseError) in try JSONValue(parsing: text) }
    }

    /// A cached row's tree and the memo of its typed forms.
    static func parsed(_ text: String, table: String, key: String) throws -> ParsedJSONCache.Parsed {
        try corruptIfThrows(table, key) { () throws(JSONParseError) in try ParsedJSONCache.shared.parsed(text) }
    }

    private static func corruptIfThrows<T>(_ table: String, _ key: String, _ body: () throws(JSONParseError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw PilotStoreError.corruptRecord(table: table, key: key, reason: "\(error)")
        }
    }
}
