import Mustache

/// A parsed agreement template: the workspace's text, or the built-in one.
///
/// Values are escaped for Markdown before rendering, so the template renders
/// in Mustache's TEXT mode: the default HTML mode would escape them a second
/// time and turn "R&D" into "R&amp;D".
struct AgreementTemplate: Sendable {
    let template: MustacheTemplate
    /// Whether the template places the amendments itself; if not, the final
    /// agreement appends them.
    let mentionsAmendments: Bool

    init(_ text: String?) throws(AgreementTemplateError) {
        let text = text ?? DefaultAgreementTemplate.text
        do {
            // Parsed alone first, so that an error's line numbers are the file's.
            _ = try MustacheTemplate(string: text)
            // A pragma on a line of its own is a standalone tag: its line is dropped from the output.
            template = try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}\n" + text)
        } catch let error as MustacheTemplate.ParserError {
            throw AgreementTemplateError(error)
        } catch {
            throw AgreementTemplateError(line: 1, column: 1, lineText: "", reason: String(describing: error))
        }
        mentionsAmendments = text.contains("amendments")
    }

    func render(_ context: AgreementContext) -> String {
        template.render(context.values)
    }
}
