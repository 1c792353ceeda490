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

    private func md(_ text: String) -> String { MarkdownText.escape(text) }

    var values: [String: Any] {
        let lead = request.lead
        let company = lead.company
        var values: [String: Any] = [
            "is_final": signed != nil,
            "is_proposal": signed == nil,
            "provider_name": md(providerName),
            "customer_name": md(company.name),
            "founder_name": md(request.founder.name),
            "founder_email": md(request.founder.email),
            "customer_signatory_name": md(signatoryName),
            "timezone": md(lead.timezone),
            "contacts": lead.contacts.map(contact),
            "duration_days": String(plan.durationDays),
            "start_date": md(EnglishDate.long(plan.startDate)),
            "end_date": md(EnglishDate.long(plan.endDate)),
            "start_date_iso": plan.startDate.iso,
            "end_date_iso": plan.endDate.iso,
            "phases": PilotPhase.allCases.map { phase -> [String: Any] in
                let days = phase.days(durationDays: plan.durationDays)
                return ["title": md(phase.title), "first_day": String(days.lowerBound),
                    "last_day": String(days.upperBound)]
            },
            "pain_points": request.qualification.painPoints.map(md).filter { !$0.isEmpty },
            "has_pain_points": request.qualification.painPoints.contains { !MarkdownText.singleLine($0).isEmpty },
            "use_cases": plan.useCases.enumerated().map { offset, useCase -> [String: Any] in
                ["number": String(offset + 1), "title": md(useCase.title), "description": md(useCase.description)]
            },
            "criteria": plan.criteria.map(criterion),
            "has_reported_only_criteria": plan.criteria.contains { !$0.required },
            "has_amendments": !changes.isEmpty,
            "amendments": changes.map { change -> [String: Any] in
                ["item": md(change.item), "before": md(change.before), "after": md(change.after)]
            },
        ]
        if let domain = company.domain { values["customer_domain"] = md(domain) }
        if let industry = company.industry { values["customer_industry"] = md(industry) }
        values.merge(support) { _, new in new }
        values.merge(pricing) { _, new in new }
        if let signed {
            let zone = TimeZone(identifier: lead.timezone) ?? TimeZone(identifier: "UTC")!
            values["signed"] = [
                "name": md(signed.signedBy.name),
                "email": md(signed.signedBy.email),
                "date": md(EnglishDate.long(LocalDateTime(signed.signedAt, in: zone).date)),
                "method": signed.method == .docusign ? "DocuSign" : "e-mail",
            ] as [String: Any]
        }
        return values
    }

    /// Who signs for the customer: the first decision maker, else the first contact.
    var signatoryName: String {
        (request.lead.contacts.first { $0.decisionMaker == true } ?? request.lead.contacts.first)?.name ?? ""
    }

    private func contact(_ contact: Contact) -> [String: Any] {
        var values: [String: Any] = [
            "name": md(contact.name), "email": md(contact.email),
            "technical": contact.technical, "decision_maker": contact.decisionMaker ?? false,
        ]
        if let title = contact.title, !MarkdownText.singleLine(title).isEmpty { values["title"] = md(title) }
        return values
    }

    private func criterion(_ criterion: Criterion) -> [String: Any] {
        let text = CriterionText(criterion, durationDays: plan.durationDays,
            integrations: request.qualification.integrations ?? [])
        return [
            "id": md(criterion.id), "kind": criterion.kind.rawValue, "name": md(text.name),
            "target": md(text.target), "how_measured": md(text.howMeasured),
            "required": criterion.required ? "Yes" : "No", "is_required": criterion.required,
        ]
    }

    private var support: [String: Any] {
        switch plan.supportLevel {
        case .dailyCheckins:
            [
                "daily_checkins": true, "async_support": false,
                "support_summary": "The Provider holds a 15-minute check-in call with the Customer's technical team"
                    + " every business day of the Pilot and is available in a shared chat channel.",
                "response_time": "4 business hours", "critical_response_time": "1 business hour",
            ]
        case .async:
            [
                "daily_checkins": false, "async_support": true,
                "support_summary": "Support is asynchronous, by shared chat channel and e-mail, with no scheduled"
                    + " calls beyond the kickoff meeting.",
                "response_time": "1 business day", "critical_response_time": "4 business hours",
            ]
        }
    }

    private var pricing: [String: Any] {
        let fee = plan.fee
        var values: [String: Any] = [
            "pricing_free": fee.isFree, "pricing_discounted": !fee.isFree,
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
