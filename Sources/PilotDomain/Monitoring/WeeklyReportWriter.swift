import Foundation

/// The writer behind `WeeklyReport.render`.
struct WeeklyReportWriter {
    let week: Int
    let evaluation: PilotEvaluation
    let startDate: CalendarDate
    let timeZone: TimeZone
    let charts: Bool
    var health: PilotHealth? = nil

    var days: ClosedRange<Int> {
        let all = WeeklyReport.days(week: week, durationDays: evaluation.durationDays)
        return all.lowerBound...max(all.lowerBound, min(all.upperBound, evaluation.day))
    }

    var company: String { MarkdownText.escape(evaluation.request.lead.company.name) }

    var text: String {
        var lines = ["# " + company + " pilot: progress report, week \(week)", ""]
        let first = PilotCalendar.date(ofDay: days.lowerBound, start: startDate)
        let last = PilotCalendar.date(ofDay: days.upperBound, start: startDate)
        lines.append("Days \(days.lowerBound)–\(days.upperBound) of \(evaluation.durationDays) ("
            + EnglishDate.withWeekday(first) + " to " + EnglishDate.withWeekday(last) + "). Phase: "
            + evaluation.phase.title.lowercased() + ".")
        lines += ["", "## Summary", "", summary, ""]
        lines += healthSection
        lines += progress
        lines += missingData
        lines += issues
        lines += feedback
        lines += nextSteps
        if charts { lines += chartLinks }
        while lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }

    var summary: String {
        let e = evaluation
        let required = e.criteria.filter(\.criterion.required)
        let atRisk = e.atRisk
        var text = e.missingDays.isEmpty ? "All \(e.day) days so far have metrics."
            : "\(e.reportedDays.count) of the \(e.day) days so far have metrics."
        if required.isEmpty {
            text += " None of the criteria is required; we report them for information."
        } else if atRisk.isEmpty {
            let met = required.filter(\.met).count
            text += " All \(required.count) required criteria are on track"
                + (met == required.count ? " and met so far." : " (\(met) met already).")
        } else {
            let names = atRisk.map { MarkdownText.escape(MetricText.lowercasedStart(MetricText.name($0.criterion, in: e))) }
            text += " \(required.count - atRisk.count) of \(required.count) required criteria are on track; "
                + MetricText.list(names) + (atRisk.count == 1 ? " is" : " are")
                + " at risk, and we propose a short check-in to go through "
                + (atRisk.count == 1 ? "it." : "them.")
        }
        let open = e.issues.unresolved.count
        if open > 0 { text += " " + MetricText.count(open, "issue") + (open == 1 ? " is" : " are") + " open." }
        return text
    }

    /// The score, its label and the reasons it moved; nothing without a health.
    var healthSection: [String] {
        guard let health else { return [] }
        var lines = ["## Health", "",
            "Health score: **\(health.score.score)/100**, " + health.score.label.rawValue + ".", ""]
        if health.reasons.isEmpty {
            lines += ["Nothing takes points off.", ""]
        } else {
            lines += health.reasons.map { "- " + MarkdownText.escape($0.text) } + [""]
        }
        return lines
    }

    var progress: [String] {
        var lines = ["## Progress toward the success criteria", "",
            "| Criterion | Target | This week | So far | Trend | Status |", "|---|---|---|---|---|---|"]
        for item in evaluation.criteria {
            let criterion = item.criterion
            let name = MarkdownText.escape(MetricText.name(criterion, in: evaluation))
                + (criterion.required ? " (required)" : "")
            let week = item.aggregate(days: days).map { MetricText.value($0, unit: criterion.unit) } ?? "–"
            var soFar = MetricText.value(item.actual, of: criterion)
            if criterion.metric == CriterionID.roi, item.actual == nil, let benefit = evaluation.roi.annualBenefit {
                soFar = "n/a (free pilot; benefit " + evaluation.roi.benefitText(benefit) + " a year)"
            }
            if criterion.metric == CriterionID.nps, item.actual != nil {
                soFar += " (" + MetricText.count(evaluation.feedback.count, "response") + ")"
            }
            if let projected = item.projected, !item.met {
                soFar += ", on pace for " + MetricText.value(projected, unit: criterion.unit)
            }
            let cells = [name, CriterionText.target(criterion), week, soFar, item.trend.label,
                CriterionStatus(item).label]
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        lines += ["", "Trends compare the last three days with data; the arrow points to better (↑) or worse (↓),"
            + " not to higher or lower numbers.", ""]
        return lines
    }

    var missingData: [String] {
        let missing = evaluation.missingDays
        guard !missing.isEmpty else { return ["Every day so far has metrics.", ""] }
        return ["Metrics are missing for " + (missing.count == 1 ? "day " : "days ")
            + MetricText.list(missing.map(String.init)) + ".", ""]
    }

    var issues: [String] {
        let summary = evaluation.issues
        let window = PilotCalendar.window(days: days, start: startDate, timeZone: timeZone)
        let opened = summary.opened(in: window)
        let resolved = summary.resolved(in: window)
        let open = summary.unresolved
        var lines = ["## Issues", ""]
        lines.append("This week: " + MetricText.count(opened.count, "issue") + " opened, "
            + "\(resolved.count) resolved. Open now: \(open.count)"
            + (summary.openCritical.isEmpty ? "." : " (\(summary.openCritical.count) critical)."))
        var shown: [PilotIssue] = []
        for issue in summary.issues where opened.contains(issue) || resolved.contains(issue) || !issue.isResolved {
            shown.append(issue)
        }
        if !shown.isEmpty { lines.append("") }
        for issue in shown {
            var line = "- " + MarkdownText.escape(issue.issueID) + " (" + issue.severity.rawValue + "): "
                + MarkdownText.escape(issue.title) + ". Reported " + PilotCalendar.longDate(issue.reportedAt,
                    in: timeZone)
            if issue.isResolved {
                line += ", resolved" + (issue.resolvedAt.map { " " + PilotCalendar.longDate($0, in: timeZone) } ?? "")
                if let resolution = issue.resolution, !MarkdownText.singleLine(resolution).isEmpty {
                    line += ": " + MarkdownText.escape(resolution)
                }
            } else {
                line += "; still open"
            }
            lines.append(line + (line.hasSuffix(".") ? "" : "."))
        }
        lines.append("")
        return lines
    }

    var feedback: [String] {
        let summary = evaluation.feedback
        var lines = ["## Feedback so far", ""]
        guard let nps = summary.nps, let average = summary.averageScore else {
            return lines + ["No survey responses yet.", ""]
        }
        lines.append(MetricText.count(summary.count, "response") + ": NPS " + NumberText.plain(nps)
            + ", average score " + NumberText.plain(average) + " out of 10 ("
            + MetricText.count(summary.promoters, "promoter") + ", " + MetricText.count(summary.passives, "passive")
            + ", " + MetricText.count(summary.detractors, "detractor") + ").")
        for quote in summary.quotes.suffix(3) {
            lines += ["", ResultsReportWriter.quote(quote)]
        }
        lines.append("")
        return lines
    }

    var nextSteps: [String] {
        let e = evaluation
        var steps: [String] = []
        for item in e.atRisk {
            let name = MetricText.name(item.criterion, in: e)
            steps.append(MarkdownText.escape(CriterionSentence(item, e).atRisk) + " "
                + RemedyText.sentence(for: item.criterion, name: name))
        }
        if !e.atRisk.isEmpty {
            steps.append("A 30-minute check-in this week to go through the criteria at risk; an invitation follows.")
        }
        if !e.missingDays.isEmpty {
            steps.append("Make sure the daily metrics reach us: " + MetricText.count(e.missingDays.count, "day")
                + " without data so far.")
        }
        let open = e.issues.unresolved.count
        if open > 0 { steps.append(open == 1 ? "Resolve the open issue." : "Resolve the \(open) open issues.") }
        if e.feedback.count == 0 { steps.append("Ask your users to answer the one-question survey.") }
        let nextReportDay = (week + 1) * 7
        let resultsStart = PilotPhase.results.days(durationDays: e.durationDays).lowerBound
        if days.upperBound < resultsStart, nextReportDay >= resultsStart, resultsStart <= e.durationDays {
            steps.append("From day \(resultsStart) the pilot enters its results and analysis phase: we keep"
                + " measuring and start preparing the results report.")
        }
        if nextReportDay <= e.durationDays {
            steps.append("Next progress report: day \(nextReportDay) ("
                + EnglishDate.withWeekday(PilotCalendar.date(ofDay: nextReportDay, start: startDate)) + ").")
        } else {
            steps.append("The pilot ends on day \(e.durationDays) ("
                + EnglishDate.withWeekday(PilotCalendar.date(ofDay: e.durationDays, start: startDate))
                + "); the results report follows.")
        }
        return ["## Next steps", ""] + steps.map { "- " + $0 } + [""]
    }

    var chartLinks: [String] {
        let charted = MetricChart.charted(evaluation)
        guard !charted.isEmpty else { return [] }
        return ["## Charts", ""]
            + charted.map { "- [" + MarkdownText.escape(MetricText.name($0.criterion, in: evaluation)) + "](" + MetricChart.path(for: $0.criterion) + ")" }
            + [""]
    }
}
