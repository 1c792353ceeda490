/// Where `PILOT_DATABASE` points: a SQLite file path. A value with a URL scheme
/// (`postgres://…`) is refused rather than taken as a folder named `postgres:`; the
/// error names the scheme only, never the rest, which may hold a password.
public enum DatabaseLocation {
    public struct Unsupported: Error, CustomStringConvertible, Sendable {
        public var scheme: String
        public var description: String {
            "PILOT_DATABASE: \(scheme):// databases are not supported by this build; give the path of a SQLite file (the default is <workspace>/.pilot/pilot.db)"
        }
    }

    /// The SQLite path `value` names, `file:` prefix removed, or `Unsupported`.
    public static func sqlitePath(_ value: String) throws(Unsupported) -> String {
        guard let colon = value.firstIndex(of: ":") else { return value }
        let scheme = value[..<colon]
        // RFC 3986 scheme: a letter, then letters, digits, "+", "-", "."; a Windows-style
        // drive letter or a plain name with a colon later on is still a path.
        let isScheme = scheme.count > 1 && scheme.first!.isLetter
            && scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
        guard isScheme, value[colon...].hasPrefix("://") || scheme.lowercased() == "file" else { return value }
        if scheme.lowercased() == "file" {
            let rest = value[value.index(after: colon)...]
            return String(rest.hasPrefix("//") ? rest.dropFirst(2) : rest)
        }
        throw Unsupported(scheme: String(scheme).lowercased())
    }
}
