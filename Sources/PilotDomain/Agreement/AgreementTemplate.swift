import Mustache

/// A parsed agreement template: the workspace's text, or the built-in one.
///
/// Values are escaped for Markdown before rendering, so the template renders
/// in Mustache's TEXT mode: the default HTML mode would escape them a second
/// time and turn "R&D" into "R&amp;D".
struct AgreementTemplate: Sendable {
    let template: MustacheTemplate
    /// The same template compiled for typed values, when it uses only what
    /// `CompiledTemplate` renders (the built-in one does).
    let compiled: CompiledTemplate?
    /// Whether the template places the amendments itself; if not, the final
    /// agreement appends them.
    let mentionsAmendments: Bool

    /// - Parameter compile: false renders through swift-mustache alone, the baseline of
    ///   `pilot-bench render`.
    init(_ text: String?, compile: Bool = true) throws(AgreementTemplateError) {
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
        compiled = compile ? CompiledTemplate(text) : nil
        mentionsAmendments = text.contains("amendments")
    }

    func render(_ context: AgreementContext) -> String {
        let values = context.values
        return compiled?.render(values) ?? template.render(values.mustacheValue)
    }
}
