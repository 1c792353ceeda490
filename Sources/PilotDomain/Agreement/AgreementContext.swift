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
        var values: TemplateObject = [
            .isFinal: .flag(signed != nil),
            .isProposal: .flag(signed == nil),
            .providerName: md(providerName),
            .customerName: md(company.name),
            .founderName: md(request.founder.name),
            .founderEmail: md(request.founder.email),
            .customerSignatoryName: md(signatoryName),
            .timezone: md(lead.timezone),
            .contacts: .list(lead.contacts.map(contact)),
            .durationDays: .text(String(plan.durationDays)),
            .startDate: md(EnglishDate.long(plan.startDate)),
            .endDate: md(EnglishDate.long(plan.endDate)),
            .startDateISO: .text(plan.startDate.iso),
            .endDateISO: .text(plan.endDate.iso),
            .phases: .list(PilotPhase.allCases.map { phase in
                let days = phase.days(durationDays: plan.durationDays)
                return .object([.title: md(phase.title), .firstDay: .text(String(days.lowerBound)),
                    .lastDay: .text(String(days.upperBound))])
            }),
            .painPoints: .list(request.qualification.painPoints.map(MarkdownText.escape).filter { !$0.isEmpty }.map(TemplateValue.text)),
            .hasPainPoints: .flag(request.qualification.painPoints.contains { !MarkdownText.singleLine($0).isEmpty }),
            .useCases: .list(plan.useCases.enumerated().map { offset, useCase in
                .object([.number: .text(String(offset + 1)), .title: md(useCase.title), .description: md(useCase.description)])
            }),
            .criteria: .list(plan.criteria.map(criterion)),
            .hasReportedOnlyCriteria: .flag(plan.criteria.contains { !$0.required }),
            .hasAmendments: .flag(!changes.isEmpty),
            .amendments: .list(changes.map { change in
                .object([.item: md(change.item), .before: md(change.before), .after: md(change.after)])
            }),
        ]
        if let domain = company.domain { values[.customerDomain] = md(domain) }
        if let industry = company.industry { values[.customerIndustry] = md(industry) }
        values.merge(support)
        values.merge(pricing)
        if let signed {
            let zone = TimeZone(identifier: lead.timezone) ?? TimeZone(identifier: "UTC")!
            values[.signed] = .object([
                .name: md(signed.signedBy.name),
                .email: md(signed.signedBy.email),
                .date: md(EnglishDate.long(LocalDateTime(signed.signedAt, in: zone).date)),
                .method: .text(signed.method == .docusign ? "DocuSign" : "e-mail"),
            ])
        }
        return .object(values)
    }

    /// Who signs for the customer: the first decision maker, else the first contact.
    var signatoryName: String {
        (request.lead.contacts.first { $0.decisionMaker == true } ?? request.lead.contacts.first)?.name ?? ""
    }

    private func contact(_ contact: Contact) -> TemplateValue {
        var values: TemplateObject = [
            .name: md(contact.name), .email: md(contact.email),
            .technical: .flag(contact.technical), .decisionMaker: .flag(contact.decisionMaker ?? false),
        ]
        if let title = contact.title, !MarkdownText.singleLine(title).isEmpty { values[.title] = md(title) }
        return .object(values)
    }

    private func criterion(_ criterion: Criterion) -> TemplateValue {
        let text = CriterionText(criterion, durationDays: plan.durationDays,
            integrations: request.qualification.integrations ?? [])
        return .object([
            .id: md(criterion.id), .kind: .text(criterion.kind.rawValue), .name: md(text.name),
            .target: md(text.target), .howMeasured: md(text.howMeasured),
            .required: .text(criterion.required ? "Yes" : "No"), .isRequired: .flag(criterion.required),
        ])
    }

    private var support: TemplateObject {
        switch plan.supportLevel {
        case .dailyCheckins:
            [
                .dailyCheckins: true, .asyncSupport: false,
                .supportSummary: .text("The Provider holds a 15-minute check-in call with the Customer's technical team"
                    + " every business day of the Pilot and is available in a shared chat channel."),
                .responseTime: "4 business hours", .criticalResponseTime: "1 business hour",
            ]
        case .async:
            [
                .dailyCheckins: false, .asyncSupport: true,
                .supportSummary: .text("Support is asynchronous, by shared chat channel and e-mail, with no scheduled"
                    + " calls beyond the kickoff meeting."),
                .responseTime: "1 business day", .criticalResponseTime: "4 business hours",
            ]
        }
    }

    private var pricing: TemplateObject {
        let fee = plan.fee
        return [
            .pricingFree: .flag(fee.isFree), .pricingDiscounted: .flag(!fee.isFree),
            .currency: md(plan.pricing.currency),
            .listPriceAnnual: md(fee.listPriceAnnualText),
            .listPricePeriod: md(fee.listPriceForPeriodText),
            .amountPayable: md(fee.amountPayableText),
            .pricingSummary: md(fee.summary),
            .discountPct: md(NumberText.percent(fee.discountPct)),
        ]
    }
}
