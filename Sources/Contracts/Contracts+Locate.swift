import Foundation

extension Contracts {
    /// Finds the `schemas/` folder: `explicit` when given (flag or `PILOT_SCHEMAS`), else
    /// `./schemas`, else the repository's when the executable runs from `.build/`,
    /// else `<prefix>/share/pilot-worker/schemas` for an installed executable.
    public static func locateSchemas(explicit: String?) -> String? {
        if let explicit, !explicit.isEmpty { return explicit }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("schemas"),
            // .build/<triple>/<configuration>/pilot-worker → repository root
            executable.appendingPathComponent("../../../schemas").standardized,
            executable.appendingPathComponent("../share/pilot-worker/schemas").standardized,
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("cloudevent.v1.json").path) }?.path
    }

    /// Loads the schemas from `locateSchemas(explicit:)`, with an error an operator can act on.
    public static func load(explicit: String?) throws -> Contracts {
        guard let directory = locateSchemas(explicit: explicit) else {
            throw SchemaLocationError(explicit: explicit)
        }
        return try Contracts(schemasDirectory: directory)
    }
}

/// No schemas folder was found.
public struct SchemaLocationError: Error, CustomStringConvertible {
    var explicit: String?
    public var description: String {
        "no event schemas found\(explicit.map { " in \($0)" } ?? ""): pass --schemas DIR or set PILOT_SCHEMAS to the repository's schemas/ folder"
    }
}
