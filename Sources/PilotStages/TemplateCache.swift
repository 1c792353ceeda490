import PilotDomain
import Synchronization

/// The last agreement template compiled, for the proposal and the final version: parsing
/// it cost more than everything else the agreement stage does, so it is parsed again only
/// when its text changes (the runtime
/// reads the text for each batch, so an edited template applies without a restart).
final class TemplateCache: Sendable {
    static let shared = TemplateCache()

    private let agreement = Mutex<(text: String?, renderer: AgreementRenderer)?>(nil)

    func agreementRenderer(for text: String?) throws(AgreementTemplateError) -> AgreementRenderer {
        if let cached = agreement.withLock({ $0 }), cached.text == text { return cached.renderer }
        let renderer = try AgreementRenderer(template: text)
        agreement.withLock { $0 = (text, renderer) }
        return renderer
    }
}
