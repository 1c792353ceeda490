import Foundation

/// The results e-mail's text.
struct ResultsEmailWriter {
    let evaluation: PilotEvaluation
    let recipients: [Person]
    let provider: String

    /// Met with at least 10% to spare (relative to the target); a free pilot's ROI never "exceeds".
    static func exceeds(_ item: CriterionEvaluation) -> Bool {
        guard item.met, let actual = item.actual else { return false }
        let target = item.criterion.target
        switch item.criterion.comparison {
        case .atMost: return actual <= target - abs(target) * 0.1
        case .atLeast: return actual >= target + abs(target) * 0.1 && actual > target
        }
    }

    func name(_ item: CriterionEvaluation) -> String {
        MailHeader.sanitized(MetricText.name(item.criterion, in: evaluation))
    }

    /// "p95 latency averaged 212.4 ms, well within the ≤ 300 ms target".
    func highlight(_ item: CriterionEvaluation) -> String {
        let criterion = item.criterion
        let target = CriterionText.target(criterion)
        switch criterion.metric {
        case CriterionID.roi:
            guard let pct = item.actual else {
                let benefit = evaluation.roi.annualBenefit.map(evaluation.roi.benefitText) ?? "no"
                return "The hours saved are worth " + benefit + " a year, at no cost during the free pilot"
            }
            return "Return on investment of " + NumberText.percent(pct) + " (target " + target + ")"
                + (evaluation.roi.paybackMonths.map { ", paying back in " + NumberText.plain($0) + " months" } ?? "")
        case CriterionID.nps:
            return "NPS of " + MetricText.value(item.actual, of: criterion) + " from "
                + MetricText.count(evaluation.feedback.count, "response") + " (target " + target + ")"
        default:
            let verb = criterion.aggregation == "min" ? "never fell below" : MetricAggregation.verb(criterion.aggregation)
            let margin = Self.exceeds(item) ? ", well beyond the " : ", meeting the "
            return name(item) + " " + verb + " " + MetricText.value(item.actual, of: criterion)
                + margin + target + " target" + (item.wholePilotTarget == nil ? "" : " for those \(evaluation.day) days")
        }
    }

    /// What a careful reader would ask about, with what we do about it.
    var concerns: [String] {
        var concerns: [String] = []
        for item in evaluation.criteria where !item.criterion.required && !item.met && item.hasData {
            concerns.append(name(item) + " came in at "
                + MetricText.value(item.actual, of: item.criterion) + " against " + CriterionText.target(item.criterion)
                + ". It was not a condition of the pilot, but we take it seriously: "
                + RemedyText.sentence(for: item.criterion, name: name(item)).prefix(1).lowercased()
                + RemedyText.sentence(for: item.criterion, name: name(item)).dropFirst())
        }
        let feedback = evaluation.feedback
        if feedback.detractors > 0, evaluation.criterion(metric: CriterionID.nps)?.met != false {
            concerns.append(MetricText.count(feedback.detractors, "user") + " scored 6 or lower; we will ask "
                + (feedback.detractors == 1 ? "them" : "each of them") + " what would make the product work better"
                + " for them.")
        }
        for issue in evaluation.issues.unresolved {
            concerns.append("Issue " + MailHeader.sanitized(issue.issueID) + " (" + MailHeader.sanitized(issue.title)
                + ") is still open; we are working on it and will confirm when it is fixed.")
        }
        if !evaluation.missingDays.isEmpty {
            concerns.append("We have no metrics for " + MetricText.count(evaluation.missingDays.count, "day")
                + " of the pilot; the figures cover the days that were reported.")
        }
        return concerns
    }

    var body: String {
        let e = evaluation
        let company = MailHeader.sanitized(e.request.lead.company.name)
        var lines = [Greeting.line(recipients.map(\.name)), ""]
        let met = e.criteria.filter { $0.met && $0.criterion.required }
        let pilot = "The \(e.durationDays)-day pilot of \(provider) at \(company) "
            + (e.isClosedEarly ? "was closed after day \(e.day)" : "is complete")
        if e.verdict.status == .success {
            lines.append(pilot + ", and it met every"
                + " required success criterion. The full results are attached (" + ResultsEmail.attachmentFilename
                + ").")
            lines += ["", "Highlights:", ""]
            let shown = met.isEmpty ? e.criteria.filter(\.met) : met
            lines += shown.map { "- " + highlight($0) }
            let concerns = concerns
            if !concerns.isEmpty {
                lines += ["", "What we still want to improve:", ""]
                lines += concerns.map { "- " + $0 }
            }
            lines += ["", "Given these results, I would like to propose moving to a contract. I will send a proposal"
                + " for the annual subscription; could we find 30 minutes next week to go through it together?"]
        } else {
            lines.append(pilot + ". I want to be"
                + " straightforward: it did not reach all of the goals we agreed. The full results are attached ("
                + ResultsEmail.attachmentFilename + ").")
            lines += ["", "Where we fell short:", ""]
            lines += e.verdict.failureReasons.map { "- " + MailHeader.sanitized($0) + "." }
            if !met.isEmpty {
                lines += ["", "What worked:", ""]
                lines += met.map { "- " + highlight($0) }
            }
            let remedies = e.criteria.filter { $0.criterion.required && !$0.met }.map {
                RemedyText.sentence(for: $0.criterion, name: name($0))
            }
            if !remedies.isEmpty {
                lines += ["", "What we would change:", ""]
                lines += remedies.map { "- " + $0 }
            }
            lines += ["", "I would rather not propose a contract on these numbers. Could we find 30 minutes next week"
                + " to go through the results, and decide together whether a follow-up pilot with these fixes makes"
                + " sense?"]
        }
        lines += ["", "Best regards,", MailHeader.sanitized(e.request.founder.name), e.request.founder.email]
        return lines.joined(separator: "\n") + "\n"
    }
}
