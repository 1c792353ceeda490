import Foundation

/// Reads the sales team's templates from `artifacts/sales/current/` in the workspace,
/// each time, so an edited template applies to the next pilot without a restart.
/// A missing file means the built-in default.
struct TemplateSource: Sendable {
    let workspace: URL

    func agreement() -> String? {
        read("pilot-agreement.md")
    }

    private func read(_ name: String) -> String? {
        let url = workspace.appendingPathComponent("artifacts/sales/current/\(name)")
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
