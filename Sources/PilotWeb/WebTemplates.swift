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

    /// The pages pilot-web renders.
    enum Page: String, CaseIterable {
        case error, login, overview, pilot, replayed, share
    }

    /// The partials the pages include.
    static let partials = ["header", "footer"]

    /// Loads every `*.mustache` of `folder/Templates` and the stylesheet of `folder/Static`.
    /// A page or partial missing there stops the start: found at the first request that
    /// needs it, it would take the process down with it.
    public init(resources folder: URL) throws {
        var library = MustacheLibrary()
        let templates = folder.appendingPathComponent("Templates")
        let names = try FileManager.default.contentsOfDirectory(atPath: templates.path).filter { $0.hasSuffix(".mustache") }
        for name in names {
            let text = try String(contentsOf: templates.appendingPathComponent(name), encoding: .utf8)
            try library.register(text, named: String(name.dropLast(".mustache".count)))
        }
        let missing = (Page.allCases.map(\.rawValue) + Self.partials).filter { library.getTemplate(named: $0) == nil }
        guard missing.isEmpty else { throw MissingTemplatesError(folder: templates.path, names: missing) }
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

    /// The page rendered with `context`.
    func render(_ page: Page, _ context: [String: Any]) -> String {
        guard let html = library.render(context, withTemplate: page.rawValue) else {
            preconditionFailure("template \(page) is not loaded, though init checked every page")
        }
        return html
    }
}

/// The resources folder lacks some of the templates.
public struct MissingTemplatesError: Error, CustomStringConvertible {
    var folder: String
    var names: [String]
    public var description: String {
        "the page templates in \(folder) lack \(names.map { "\($0).mustache" }.joined(separator: ", ")): point PILOT_WEB_RESOURCES at the resources of this build"
    }
}

/// The page templates were not found.
public struct TemplateLocationError: Error, CustomStringConvertible {
    var searched: [String]
    public var description: String {
        "no page templates found (looked in \(searched.joined(separator: ", "))): set PILOT_WEB_RESOURCES to the folder holding Templates/ and Static/"
    }
}
