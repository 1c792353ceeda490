import Foundation

/// The writer behind `ResultsReport.render`.
struct ResultsReportWriter {
    let evaluation: PilotEvaluation
    let startDate: CalendarDate
    let timeZone: TimeZone
    let provider: String

    var verdict: PilotVerdict { evaluation.verdict }
    var company: String { MarkdownText.escape(evaluation.request.lead.company.name) }
    var endDate: CalendarDate { PilotCalendar.date(ofDay: evaluation.durationDays, start: startDate) }

    var text: String {
        var lines = ["# " + company + " pilot results", ""]
        lines.append("The \(evaluation.durationDays)-day pilot of " + MarkdownText.escape(provider) + " at " + company
            + ", from " + EnglishDate.withWeekday(startDate) + " to " + EnglishDate.withWeekday(endDate) + ".")
        if evaluation.isClosedEarly {
            lines.append("It was closed early: these results cover days 1–\(evaluation.day), to "
                + EnglishDate.withWeekday(PilotCalendar.date(ofDay: evaluation.day, start: startDate)) + ".")
            let totals = evaluation.criteria.compactMap { item in
                item.wholePilotTarget.map { whole in
                    var full = item.criterion
                    full.target = whole
                    return MarkdownText.escape(words(for: item).name) + " " + CriterionText.target(item.criterion) + " ("
                        + CriterionText.target(full) + " over the \(evaluation.durationDays) days)"
                }
            }
            if !totals.isEmpty {
                lines.append("Totals are judged against their targets for those \(evaluation.day) days, at the same daily"
                    + " pace: " + totals.joined(separator: "; ") + ".")
            }
        }
        lines.append("")
        lines += executiveSummary
        lines += table("Technical metrics vs targets", kind: .technical)
        lines += table("Business metrics vs targets", kind: .business)
        lines += feedback
        lines += issues
        lines += roi
        lines += nextStep
        while lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }

    var executiveSummary: [String] {
        let required = evaluation.criteria.filter(\.criterion.required)
        var lines = ["## Executive summary", "", "**Status: " + verdict.status.rawValue + "**", ""]
        if verdict.status == .success {
            var text = required.isEmpty
                ? "The pilot had no required criteria, and no critical issue is open."
                : "The pilot met all \(required.count) required success criteria, and no critical issue is open."
            let exceeded = required.filter { ResultsEmailWriter.exceeds($0) }.map {
                MarkdownText.escape(MetricText.lowercasedStart(MetricText.name($0.criterion, in: evaluation)))
            }
            if !exceeded.isEmpty {
                text += " \(exceeded.count) of them beat " + (exceeded.count == 1 ? "its target" : "their targets")
                    + " by a clear margin: " + MetricText.list(exceeded) + "."
            }
            lines.append(text + " We propose moving to a contract.")
        } else {
            let missed = required.filter { !$0.met }.count
            var text = "The pilot did not reach its goals"
            if missed > 0 { text += ": it missed \(missed) of \(required.count) required success criteria" }
            let critical = evaluation.issues.openCritical.count
            if critical > 0 {
                text += (missed > 0 ? ", and " : ": ") + MetricText.count(critical, "critical issue")
                    + (critical == 1 ? " is" : " are") + " still open"
            }
            lines.append(text + ".")
            lines.append("")
            lines += verdict.failureReasons.map { "- " + MarkdownText.escape($0) + "." }
        }
        lines += ["", "Rule: " + PilotVerdict.rule, ""]
        return lines
    }

    func table(_ title: String, kind: Criterion.Kind) -> [String] {
        let items = evaluation.criteria.filter { $0.criterion.kind == kind }
        var lines = ["## " + title, ""]
        guard !items.isEmpty else { return lines + ["No " + (kind == .technical ? "technical" : "business")
            + " criteria were set for this pilot.", ""] }
        lines += ["| Metric | Target | Actual | How measured | Result |", "|---|---|---|---|---|"]
        for item in items {
            let criterion = item.criterion
            let described = words(for: item)
            var actual = MetricText.value(item.actual, of: criterion)
            if criterion.metric == CriterionID.roi, item.actual == nil, evaluation.roi.annualBenefit != nil {
                actual = "n/a (free pilot)"
            }
            var result = item.met ? (ResultsEmailWriter.exceeds(item) ? "Exceeded" : "Met")
                : (item.hasData ? "Not met" : "No data")
            if !criterion.required { result += " (reported only)" }
            lines.append("| " + [MarkdownText.escape(described.name), described.target, actual, MarkdownText.escape(described.howMeasured),
                result].joined(separator: " | ") + " |")
        }
        return lines + [""]
    }

    /// The criterion in words; a total judged on fewer days is described over those days.
    func words(for item: CriterionEvaluation) -> CriterionText {
        CriterionText(item.criterion, durationDays: item.wholePilotTarget == nil ? evaluation.durationDays : evaluation.day,
            integrations: evaluation.request.qualification.integrations ?? [])
    }

    var feedback: [String] {
        let summary = evaluation.feedback
        var lines = ["## User feedback", ""]
        guard let nps = summary.nps, let average = summary.averageScore else {
            return lines + ["No survey responses were received during the pilot, so there is no NPS.", ""]
        }
        lines += ["- Responses: \(summary.count)", "- NPS: " + NumberText.plain(nps) + " ("
            + MetricText.count(summary.promoters, "promoter") + ", " + MetricText.count(summary.passives, "passive")
            + ", " + MetricText.count(summary.detractors, "detractor") + ")",
            "- Average score: " + NumberText.plain(average) + " out of 10", ""]
        lines.append("NPS is the percentage of promoters (scores 9 and 10) minus the percentage of detractors"
            + " (0 to 6); the latest answer of each person counts.")
        if !summary.quotes.isEmpty {
            lines += ["", "What users said:"]
            for quote in summary.quotes { lines += ["", Self.quote(quote)] }
        }
        return lines + [""]
    }

    /// `> "Comment" (Ravi Menon, Staff Data Engineer, 9/10)`.
    static func quote(_ quote: FeedbackSummary.Quote) -> String {
        var who = MarkdownText.escape(quote.name)
        if let role = quote.role.map(MarkdownText.escape), !role.isEmpty { who += ", " + role }
        return "> “" + MarkdownText.escape(quote.comment) + "” (" + who + ", \(quote.score)/10)"
    }

    var issues: [String] {
        let summary = evaluation.issues
        var lines = ["## Issues and resolutions", ""]
        guard !summary.issues.isEmpty else { return lines + ["No issues were reported during the pilot.", ""] }
        lines.append(MetricText.count(summary.issues.count, "issue") + (summary.issues.count == 1 ? " was" : " were")
            + " reported: \(summary.resolved.count) resolved, \(summary.unresolved.count) unresolved"
            + (summary.openCritical.isEmpty ? "." : " (\(summary.openCritical.count) of them critical)."))
        lines += ["", "| Issue | Severity | Reported | Status | Resolution |", "|---|---|---|---|---|"]
        for issue in summary.issues {
            let status = issue.isResolved
                ? "Resolved" + (issue.resolvedAt.map { " " + PilotCalendar.longDate($0, in: timeZone) } ?? "")
                : "Open"
            let resolution = issue.resolution.map(MarkdownText.escape).flatMap { $0.isEmpty ? nil : $0 } ?? "–"
            lines.append("| " + [MarkdownText.escape(issue.issueID) + ": " + MarkdownText.escape(issue.title),
                issue.severity.rawValue, PilotCalendar.longDate(issue.reportedAt, in: timeZone), status, resolution]
                .joined(separator: " | ") + " |")
        }
        return lines + [""]
    }

    var roi: [String] {
        let roi = evaluation.roi
        var lines = ["## Return on investment", ""]
        guard let perWeek = roi.hoursSavedPerWeek, let benefit = roi.annualBenefit else {
            return lines + ["No hours saved were reported, so the return on investment cannot be computed.", ""]
        }
        let h = { (value: Double) in NumberText.plain(value, maxFractionDigits: 2) + " h" }
        lines.append("From the hours saved measured during the pilot, at the baseline cost of "
            + roi.benefitText(roi.hourlyCost) + " per staff hour:")
        lines.append("")
        lines.append("- Hours saved per week = total hours saved ÷ days reported × 7 = " + h(roi.totalHoursSaved)
            + " ÷ \(roi.daysReported) × 7 = " + h(perWeek))
        lines.append("- Annual benefit = hours saved per week × 52 × hourly cost = " + h(perWeek) + " × 52 × "
            + roi.benefitText(roi.hourlyCost) + " = " + roi.benefitText(benefit))
        let pricing = evaluation.request.terms.pricing
        if roi.isFree {
            lines.append("- Annual cost = " + roi.costText(0) + " (free pilot)")
            lines.append("- ROI = n/a (free pilot): with no cost there is no ratio. The ROI criterion counts as met"
                + " when the annual benefit is above zero.")
        } else {
            let discount = min(100, max(0, pricing.discountPct ?? 0))
            lines.append("- Annual cost = annual list price × (1 − discount) = " + roi.costText(pricing.listPriceAnnual)
                + " × (1 − " + NumberText.percent(discount) + ") = " + roi.costText(roi.annualCost))
            if let pct = roi.roiPct {
                lines.append("- ROI = (annual benefit − annual cost) ÷ annual cost × 100 = (" + roi.benefitText(benefit)
                    + " − " + roi.costText(roi.annualCost) + ") ÷ " + roi.costText(roi.annualCost) + " × 100 = "
                    + NumberText.percent(pct))
            } else {
                lines.append("- ROI = n/a: the annual cost is zero.")
            }
            if let months = roi.paybackMonths {
                lines.append("- Payback = annual cost ÷ (annual benefit ÷ 12) = " + roi.costText(roi.annualCost)
                    + " ÷ (" + roi.benefitText(benefit) + " ÷ 12) = " + NumberText.plain(months) + " months")
            } else if roi.annualCost > 0 {
                lines.append("- Payback = n/a: no benefit was measured.")
            }
        }
        if roi.currencyMismatch {
            lines += ["", "Note: the baseline is in " + MarkdownText.escape(roi.currency) + " and the price in "
                + MarkdownText.escape(roi.priceCurrency) + "; the figures compare them without conversion."]
        }
        return lines + [""]
    }

    var nextStep: [String] {
        var lines = ["## Next step", ""]
        let founder = MarkdownText.escape(evaluation.request.founder.name)
        let signers = evaluation.request.lead.contacts.filter { $0.decisionMaker == true }
            .map { MarkdownText.escape($0.name) }
        if verdict.status == .success {
            var text = "Move to a contract. " + founder + " will send a proposal for the annual subscription"
            text += signers.isEmpty ? " and a time to go through it." : " to " + MetricText.list(signers)
                + " and a time to go through it."
            if !evaluation.issues.unresolved.isEmpty {
                text += " The open issues stay on our list and we will confirm each fix."
            }
            lines.append(text)
        } else {
            lines.append("We do not propose a contract on these results. " + founder + " will set up a call to go"
                + " through the criteria that were missed and, if you want to continue, agree on a follow-up plan"
                + " with the fixes and new dates.")
        }
        return lines + [""]
    }
}
