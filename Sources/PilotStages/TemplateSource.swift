import Foundation
import PilotDomain
import Synchronization

/// Reads the sales team's templates from `artifacts/sales/current/` in the workspace,
/// each time, so an edited template applies to the next pilot without a restart.
/// A missing file means the built-in default.
struct TemplateSource: Sendable {
    let workspace: URL
    /// The last agreement template compiled: parsing it cost more than everything else
    /// the agreement stage does, so it is parsed again only when its text changes.
    private let compiled = CompiledTemplates()

    init(workspace: URL) {
        self.workspace = workspace
    }

    func agreement() -> String? {
        read("pilot-agreement.md")
    }

    /// The agreement renderer for the current template text.
    func agreementRenderer() throws(AgreementTemplateError) -> AgreementRenderer {
        let text = agreement()
        if let cached = compiled.agreement.withLock({ $0 }), cached.text == text { return cached.renderer }
        let renderer = try AgreementRenderer(template: text)
        compiled.agreement.withLock { $0 = (text, renderer) }
        return renderer
    }

    private func read(_ name: String) -> String? {
        let url = workspace.appendingPathComponent("artifacts/sales/current/\(name)")
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

private final class CompiledTemplates: Sendable {
    let agreement = Mutex<(text: String?, renderer: AgreementRenderer)?>(nil)
}
