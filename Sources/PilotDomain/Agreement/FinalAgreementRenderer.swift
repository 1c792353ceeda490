/// Renders `pilot-agreement-final.md` after `pilot.signed`: the same template
/// with the agreed terms, who signed, and an "Amendments" section listing what
/// changed from the proposal.
public struct FinalAgreementRenderer: Sendable {
    /// The rendered document and what it is based on.
    public struct Output: Hashable, Sendable {
        /// The Markdown text.
        public var text: String
        /// The terms, criteria and dates as signed.
        public var plan: PilotPlan
        /// What changed from the proposal; empty when it was signed as proposed.
        public var changes: [AgreementChange]
    }

    let template: AgreementTemplate

    /// - Parameter template: the workspace's `pilot-agreement.md` text, or `nil`
    ///   for the built-in template.
    /// - Throws: `AgreementTemplateError` when the text is not a valid Mustache template.
    public init(template: String? = nil) throws(AgreementTemplateError) {
        self.template = try AgreementTemplate(template)
    }

    /// The final version of the template `proposal` renders, without parsing it again.
    public init(sharing proposal: AgreementRenderer) {
        self.template = proposal.template
    }

    /// The final agreement: the proposal (`request`, `proposedCriteria`,
    /// `proposedStartDate`) with `signed`'s amendments and start date applied.
    public func render(request: PilotRequest, proposedCriteria: [Criterion], proposedStartDate: CalendarDate,
        signed: PilotSigned, providerName: String? = nil) -> Output
    {
        let proposal = PilotPlan(terms: request.terms, criteria: proposedCriteria, startDate: proposedStartDate)
        let final = proposal.amended(by: signed, qualification: request.qualification)
        let changes = AgreementChange.between(proposal, final, integrations: request.qualification.integrations ?? [])
        let context = AgreementContext(request: request, plan: final,
            providerName: providerName ?? AgreementRenderer.defaultProviderName(request.founder), signed: signed,
            changes: changes)
        var text = template.render(context)
        if !template.mentionsAmendments, !changes.isEmpty {
            // A workspace template written before amendments existed still has to show them.
            text += (text.hasSuffix("\n") ? "\n" : "\n\n") + Self.amendmentsSection(changes)
        }
        return Output(text: text, plan: final, changes: changes)
    }

    static func amendmentsSection(_ changes: [AgreementChange]) -> String {
        var text = "## Amendments\n\nThese terms were changed from the proposal during negotiation:\n\n"
        text += "| Item | Proposed | Agreed |\n|---|---|---|\n"
        for change in changes {
            text += "| " + MarkdownText.escape(change.item) + " | " + MarkdownText.escape(change.before) + " | "
                + MarkdownText.escape(change.after) + " |\n"
        }
        return text
    }
}
