/// One line of an agreement's "Amendments" section: what was proposed and what
/// was agreed, in words (plain text; the renderer escapes it).
public struct AgreementChange: Hashable, Sendable {
    /// "Duration", "Success criterion: p95 latency".
    public var item: String
    public var before: String
    public var after: String

    public init(item: String, before: String, after: String) {
        self.item = item
        self.before = before
        self.after = after
    }

    /// What differs between the proposal and the final plan, in the order the
    /// agreement lists its sections; criteria by `id`, in the final order, then
    /// the removed ones.
    public static func between(_ proposal: PilotPlan, _ final: PilotPlan, integrations: [String] = [])
        -> [AgreementChange]
    {
        var changes: [AgreementChange] = []
        func add(_ item: String, _ before: String, _ after: String) {
            if before != after { changes.append(AgreementChange(item: item, before: before, after: after)) }
        }
        add("Start date", EnglishDate.long(proposal.startDate), EnglishDate.long(final.startDate))
        add("Duration", "\(proposal.durationDays) days", "\(final.durationDays) days")
        add("End date", EnglishDate.long(proposal.endDate), EnglishDate.long(final.endDate))
        add("Use cases", useCaseList(proposal.useCases), useCaseList(final.useCases))
        add("Support", supportName(proposal.supportLevel), supportName(final.supportLevel))
        add("Fees", proposal.fee.summary, final.fee.summary)

        func describe(_ criterion: Criterion, _ plan: PilotPlan) -> String {
            let text = CriterionText(criterion, durationDays: plan.durationDays, integrations: integrations)
            return text.target + (criterion.required ? ", required" : ", reported only")
        }
        let before = Dictionary(proposal.criteria.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let afterIDs = Set(final.criteria.map(\.id))
        for criterion in final.criteria {
            let name = CriterionText(criterion, durationDays: final.durationDays, integrations: integrations).name
            let old = before[criterion.id]
            add("Success criterion: " + name, old.map { describe($0, proposal) } ?? "not included",
                describe(criterion, final))
        }
        for criterion in proposal.criteria where !afterIDs.contains(criterion.id) {
            let name = CriterionText(criterion, durationDays: proposal.durationDays, integrations: integrations).name
            add("Success criterion: " + name, describe(criterion, proposal), "removed")
        }
        return changes
    }

    static func useCaseList(_ useCases: [UseCase]) -> String {
        useCases.map { MarkdownText.singleLine($0.title) }.joined(separator: "; ")
    }

    static func supportName(_ level: SupportLevel) -> String {
        switch level {
        case .dailyCheckins: "Daily check-in calls"
        case .async: "Asynchronous (chat and e-mail)"
        }
    }
}
