import Foundation

/// The variables an agreement template sees (listed on `DefaultAgreementTemplate`).
///
/// Every string is escaped with `MarkdownText.escape` here, once, so that a
/// template cannot forget to; numbers are pre-formatted strings so that no
/// `Double` is ever printed as "300.0". Absent optional values are left out, so
/// `{{#customer_domain}}…{{/customer_domain}}` renders only when there is one.
struct AgreementContext {
    var request: PilotRequest
    var plan: PilotPlan
    var providerName: String
    var signed: PilotSigned?
    var changes: [AgreementChange]

    private func md(_ text: String) -> TemplateValue { .text(MarkdownText.escape(text)) }

    var values: TemplateValue {
        let lead = request.lead
        let company = lead.company
        var values: [String: TemplateValue] = [
            "is_final": .flag(signed != nil),
            "is_proposal": .flag(signed == nil),
            "provider_name": md(providerName),
            "customer_name": md(company.name),
            "founder_name": md(request.founder.name),
            "founder_email": md(request.founder.email),
            "customer_signatory_name": md(signatoryName),
            "timezone": md(lead.timezone),
            "contacts": .list(lead.contacts.map(contact)),
            "duration_days": .text(String(plan.durationDays)),
            "start_date": md(EnglishDate.long(plan.startDate)),
            "end_date": md(EnglishDate.long(plan.endDate)),
            "start_date_iso": .text(plan.startDate.iso),
            "end_date_iso": .text(plan.endDate.iso),
            "phases": .list(PilotPhase.allCases.map { phase in
                let days = phase.days(durationDays: plan.durationDays)
                return .object(["title": md(phase.title), "first_day": .text(String(days.lowerBound)),
                    "last_day": .text(String(days.upperBound))])
            }),
            "pain_points": .list(request.qualification.painPoints.map(MarkdownText.escape).filter { !$0.isEmpty }.map(TemplateValue.text)),
            "has_pain_points": .flag(request.qualification.painPoints.contains { !MarkdownText.singleLine($0).isEmpty }),
            "use_cases": .list(plan.useCases.enumerated().map { offset, useCase in
                .object(["number": .text(String(offset + 1)), "title": md(useCase.title), "description": md(useCase.description)])
            }),
            "criteria": .list(plan.criteria.map(criterion)),
            "has_reported_only_criteria": .flag(plan.criteria.contains { !$0.required }),
            "has_amendments": .flag(!changes.isEmpty),
            "amendments": .list(changes.map { change in
                .object(["item": md(change.item), "before": md(change.before), "after": md(change.after)])
            }),
        ]
        if let domain = company.domain { values["customer_domain"] = md(domain) }
        if let industry = company.industry { values["customer_industry"] = md(industry) }
        values.merge(support) { _, new in new }
        values.merge(pricing) { _, new in new }
        if let signed {
            let zone = TimeZone(identifier: lead.timezone) ?? TimeZone(identifier: "UTC")!
            values["signed"] = .object([
                "name": md(signed.signedBy.name),
                "email": md(signed.signedBy.email),
                "date": md(EnglishDate.long(LocalDateTime(signed.signedAt, in: zone).date)),
                "method": .text(signed.method == .docusign ? "DocuSign" : "e-mail"),
            ])
        }
        return .object(values)
    }

    /// Who signs for the customer: the first decision maker, else the first contact.
    var signatoryName: String {
        (request.lead.contacts.first { $0.decisionMaker == true } ?? request.lead.contacts.first)?.name ?? ""
    }

    private func contact(_ contact: Contact) -> TemplateValue {
        var values: [String: TemplateValue] = [
            "name": md(contact.name), "email": md(contact.email),
            "technical": .flag(contact.technical), "decision_maker": .flag(contact.decisionMaker ?? false),
        ]
        if let title = contact.title, !MarkdownText.singleLine(title).isEmpty { values["title"] = md(title) }
        return .object(values)
    }

    private func criterion(_ criterion: Criterion) -> TemplateValue {
        let text = CriterionText(criterion, durationDays: plan.durationDays,
            integrations: request.qualification.integrations ?? [])
        return .object([
            "id": md(criterion.id), "kind": .text(criterion.kind.rawValue), "name": md(text.name),
            "target": md(text.target), "how_measured": md(text.howMeasured),
            "required": .text(criterion.required ? "Yes" : "No"), "is_required": .flag(criterion.required),
        ])
    }

    private var support: [String: TemplateValue] {
        switch plan.supportLevel {
        case .dailyCheckins:
            [
                "daily_checkins": true, "async_support": false,
                "support_summary": .text("The Provider holds a 15-minute check-in call with the Customer's technical team"
                    + " every business day of the Pilot and is available in a shared chat channel."),
                "response_time": "4 business hours", "critical_response_time": "1 business hour",
            ]
        case .async:
            [
                "daily_checkins": false, "async_support": true,
                "support_summary": .text("Support is asynchronous, by shared chat channel and e-mail, with no scheduled"
                    + " calls beyond the kickoff meeting."),
                "response_time": "1 business day", "critical_response_time": "4 business hours",
            ]
        }
    }

    private var pricing: [String: TemplateValue] {
        let fee = plan.fee
        var values: [String: TemplateValue] = [
            "pricing_free": .flag(fee.isFree), "pricing_discounted": .flag(!fee.isFree),
            "currency": md(plan.pricing.currency),
            "list_price_annual": md(fee.listPriceAnnualText),
            "list_price_period": md(fee.listPriceForPeriodText),
            "amount_payable": md(fee.amountPayableText),
            "pricing_summary": md(fee.summary),
        ]
        values["discount_pct"] = md(NumberText.percent(fee.discountPct))
        return values
    }
}
