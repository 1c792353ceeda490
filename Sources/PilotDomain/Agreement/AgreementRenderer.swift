/// Renders `pilot-agreement-custom.md`: the proposal sent with the kickoff invite.
public struct AgreementRenderer: Sendable {
    let template: AgreementTemplate

    /// - Parameter template: the workspace's `pilot-agreement.md` text, or `nil`
    ///   for the built-in `DefaultAgreementTemplate`.
    ///   `compile`: false renders through swift-mustache alone, as every template did
    ///   before `CompiledTemplate` (the baseline of `pilot-bench render`); the output is
    ///   the same.
    /// - Throws: `AgreementTemplateError` when the text is not a valid Mustache template.
    public init(template: String? = nil, compile: Bool = true) throws(AgreementTemplateError) {
        self.template = try AgreementTemplate(template, compile: compile)
    }

    /// The agreement for `request` with `criteria`, starting on `startDate` and
    /// ending `duration_days` later (inclusive). `providerName` is the founder's
    /// company ("the Provider"); by default the domain of the founder's e-mail.
    public func render(request: PilotRequest, criteria: [Criterion], startDate: CalendarDate,
        providerName: String? = nil) -> String
    {
        let plan = PilotPlan(terms: request.terms, criteria: criteria, startDate: startDate)
        return template.render(AgreementContext(request: request, plan: plan,
            providerName: providerName ?? Self.defaultProviderName(request.founder), signed: nil, changes: []))
    }

    /// The part of the founder's address after the "@": events carry no company
    /// name for our side.
    public static func defaultProviderName(_ founder: Person) -> String {
        founder.email.split(separator: "@").last.map(String.init) ?? founder.name
    }
}
