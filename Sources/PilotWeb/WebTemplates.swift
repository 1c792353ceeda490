import Foundation
import Mustache

/// The pages' Mustache templates and stylesheet, kept as files in `Templates/` and
/// `Static/` (SwiftPM resources of this module) so they can be edited without touching
/// Swift. Every `{{value}}` is HTML-escaped by Mustache; no template uses the unescaped
/// forms (`{{{…}}}`, `{{&…}}`), and `RenderingTests` keeps it so.
public struct WebTemplates: Sendable {
    let library: MustacheLibrary
    /// `Static/pilot.css`, served at `/static/pilot.css`.
    let stylesheet: [UInt8]

    /// Loads every `*.mustache` of `folder/Templates` and the stylesheet of `folder/Static`.
    public init(resources folder: URL) throws {
        var library = MustacheLibrary()
        let templates = folder.appendingPathComponent("Templates")
        let names = try FileManager.default.contentsOfDirectory(atPath: templates.path).filter { $0.hasSuffix(".mustache") }
        for name in names {
            let text = try String(contentsOf: templates.appendingPathComponent(name), encoding: .utf8)
            try library.register(text, named: String(name.dropLast(".mustache".count)))
        }
        self.library = library
        guard let css = FileManager.default.contents(atPath: folder.appendingPathComponent("Static/pilot.css").path) else {
            throw TemplateLocationError(searched: [folder.path])
        }
        stylesheet = [UInt8](css)
    }

    /// Finds and loads the resources: `explicit` (`PILOT_WEB_RESOURCES`) when given, else the
    /// resource bundle SwiftPM puts beside the executable, else the source tree this was built from.
    public static func load(explicit: String? = nil) throws -> WebTemplates {
        var candidates: [URL] = []
        if let explicit, !explicit.isEmpty { candidates.append(URL(fileURLWithPath: explicit)) }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        candidates.append(executable.appendingPathComponent("pilot-worker_PilotWeb.resources"))
        candidates.append(executable.appendingPathComponent("../share/pilot-worker/web").standardized)
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent())
        guard let found = candidates.first(where: {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("Templates/share.mustache").path)
        }) else { throw TemplateLocationError(searched: candidates.map(\.path)) }
        return try WebTemplates(resources: found)
    }

    /// The page `name` rendered with `context`.
    func render(_ name: String, _ context: [String: Any]) -> String {
        guard let html = library.render(context, withTemplate: name) else {
            preconditionFailure("template \(name) is not loaded")
        }
        return html
    }
}

/// The page templates were not found.
public struct TemplateLocationError: Error, CustomStringConvertible {
    var searched: [String]
    public var description: String {
        "no page templates found (looked in \(searched.joined(separator: ", "))): set PILOT_WEB_RESOURCES to the folder holding Templates/ and Static/"
    }
}
