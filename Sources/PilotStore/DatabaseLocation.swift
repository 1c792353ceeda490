/// Where `PILOT_DATABASE` points: a SQLite file, or a PostgreSQL server
/// (`postgres://user:password@host:port/db?sslmode=…`, also `postgresql://`). A value
/// with any other URL scheme is refused rather than taken as a folder named `mysql:`; the
/// error names the scheme only, never the rest, which may hold a password.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    /// A SQLite file path.
    case sqlite(path: String)
    /// A libpq connection URI, password included: never log it, log `description`.
    case postgres(url: String)

    public struct Unsupported: Error, CustomStringConvertible, Sendable {
        public var scheme: String
        public var description: String {
            "PILOT_DATABASE: \(scheme):// databases are not supported; give the path of a SQLite file (the default is <workspace>/.pilot/pilot.db) or a postgres:// URL"
        }
    }

    /// What `value` names; `defaultPath` when it is empty.
    public static func parse(_ value: String, defaultPath: String) throws(Unsupported) -> DatabaseLocation {
        guard !value.isEmpty else { return .sqlite(path: defaultPath) }
        guard let colon = value.firstIndex(of: ":") else { return .sqlite(path: value) }
        let scheme = value[..<colon]
        // RFC 3986 scheme: a letter, then letters, digits, "+", "-", "."; a Windows-style
        // drive letter or a plain name with a colon later on is still a path.
        let isScheme = scheme.count > 1 && scheme.first!.isLetter
            && scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
        guard isScheme, value[colon...].hasPrefix("://") || scheme.lowercased() == "file" else { return .sqlite(path: value) }
        switch scheme.lowercased() {
        case "file":
            let rest = value[value.index(after: colon)...]
            return .sqlite(path: String(rest.hasPrefix("//") ? rest.dropFirst(2) : rest))
        case "postgres", "postgresql":
            return .postgres(url: value)
        default:
            throw Unsupported(scheme: String(scheme).lowercased())
        }
    }

    /// The SQLite path `value` names, `file:` prefix removed, or `Unsupported` (a
    /// PostgreSQL URL included: callers that can use one call `parse`).
    public static func sqlitePath(_ value: String) throws(Unsupported) -> String {
        switch try parse(value, defaultPath: value) {
        case .sqlite(let path): return path
        case .postgres: throw Unsupported(scheme: String(value.prefix { $0 != ":" }).lowercased())
        }
    }

    /// The path, or the URL with its password (in the user part or a `password=`
    /// parameter) replaced by `***`: safe for logs and errors.
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let url): Self.redacted(url)
        }
    }

    static func redacted(_ url: String) -> String {
        guard let colon = url.firstIndex(of: ":"), url[colon...].hasPrefix("://") else { return "postgres://***" }
        let restStart = url.index(colon, offsetBy: 3)
        let scheme = url[..<restStart]
        let rest = url[restStart...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = String(rest[..<authorityEnd])
        var tail = String(rest[authorityEnd...])
        if let at = authority.lastIndex(of: "@") {
            let user = authority[..<at]
            if let colon = user.firstIndex(of: ":") {
                authority = String(user[..<colon]) + ":***" + authority[at...]
            }
        } else if let at = rest.lastIndex(of: "@") {
            // A `/`, `?` or `#` left unencoded in the password ends the authority early (libpq
            // reads it so too, and fails): all before the last `@` may be the password.
            authority = "***"
            tail = String(rest[at...])
        }
        return scheme + authority + maskingPasswordParameters(tail)
    }

    /// `text` with the value of each `password=` parameter (after a `?` or `&`) replaced.
    private static func maskingPasswordParameters(_ text: String) -> String {
        func masked(_ segment: String) -> String { segment.lowercased().hasPrefix("password=") ? "password=***" : segment }
        var output = ""
        var segment = ""
        for character in text {
            if character == "?" || character == "&" {
                output += masked(segment)
                output.append(character)
                segment = ""
            } else {
                segment.append(character)
            }
        }
        return output + masked(segment)
    }

    /// Opens the store: `SQLitePilotStore` (creating the file) or `PostgresPilotStore`,
    /// migrated to this build's schema. The one way the commands open a store.
    public func open() throws -> any PilotStore {
        switch self {
        case .sqlite(let path): try SQLitePilotStore(path: path)
        case .postgres(let url): try PostgresPilotStore(url: url)
        }
    }
}
