import Foundation
import PilotTestKit
import Testing

@testable import PilotWeb

/// The templates pilot-web starts with: every page must be there before the first request,
/// since rendering a page that is not would stop the process.
@Suite struct WebTemplatesTests {
    static let resources = packageRoot.appendingPathComponent("Sources/PilotWeb")

    @Test func theBuildsResourcesHaveEveryPage() throws {
        let templates = try WebTemplates(resources: Self.resources)
        for page in WebTemplates.Page.allCases {
            #expect(!templates.render(page, [:]).isEmpty, "\(page)")
        }
    }

    @Test func aFolderLackingAPageIsRefusedNamingIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pilot-web-resources-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: Self.resources.appendingPathComponent("Templates"), to: folder.appendingPathComponent("Templates"))
        try FileManager.default.copyItem(at: Self.resources.appendingPathComponent("Static"), to: folder.appendingPathComponent("Static"))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("Templates/replayed.mustache"))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("Templates/footer.mustache"))
        #expect { try WebTemplates(resources: folder) } throws: { error in
            let text = String(describing: error)
            return text.contains("replayed.mustache") && text.contains("footer.mustache") && text.contains("PILOT_WEB_RESOURCES")
        }
    }
}
