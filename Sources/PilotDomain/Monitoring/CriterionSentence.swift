/// A criterion's standing in one sentence: for alerts while the pilot runs
/// (present tense) and for failure reasons at the end (past tense). One line,
/// plain text, no trailing period on failure reasons.
struct CriterionSentence {
    let item: CriterionEvaluation
    let evaluation: PilotEvaluation

    init(_ item: CriterionEvaluation, _ evaluation: PilotEvaluation) {
        self.item = item
        self.evaluation = evaluation
    }

    var criterion: Criterion { item.criterion }
    var name: String { MarkdownText.singleLine(MetricText.name(criterion, in: evaluation)) }
    var target: String { CriterionText.target(criterion) }
    var actual: String { MetricText.value(item.actual, of: criterion) }

    /// "over the 11 days reported".
    var reportedSpan: String {
        "over the " + MetricText.count(item.values.count, "day") + " reported"
    }

    /// "Error rate averages 1.3% over the 12 days reported, above the ≤ 1% target."
    var atRisk: String {
        let side = MetricText.wrongSide(criterion)
        switch criterion.metric {
        case CriterionID.roi:
            let perWeek = evaluation.roi.hoursSavedPerWeek.map { NumberText.plain($0, maxFractionDigits: 2) } ?? "0"
            if item.actual == nil {
                return "The free pilot shows no measurable benefit yet: no staff hours saved."
            }
            return "Return on investment is " + actual + " so far (" + perWeek + " h saved per week), "
                + side + " the " + target + " target."
        case CriterionID.nps:
            return "NPS is " + actual + " from " + MetricText.count(evaluation.feedback.count, "response") + ", "
                + side + " the " + target + " target."
        default:
            break
        }
        let subject = name
        switch criterion.aggregation {
        case "sum":
            let projected = MetricText.value(item.projected, of: criterion)
            return subject + " total " + actual + " " + reportedSpan + "; at this pace the pilot ends at "
                + projected + ", short of the " + target + " target."
        case "min", "max":
            let when = item.extremeDay.map { " on day \($0)" } ?? ""
            let verb = criterion.aggregation == "min" ? "fell to" : "peaked at"
            return subject + " " + verb + " " + actual + when + ", " + side + " the " + target + " target."
        case "last":
            return subject + " is " + actual + " at the latest report, " + side + " the " + target + " target."
        default:
            return subject + " averages " + actual + " " + reportedSpan + ", " + side + " the " + target + " target."
        }
    }

    /// "p95 latency averaged 412 ms against a target of ≤ 300 ms".
    var failure: String {
        let against = " against a target of " + target
        switch criterion.metric {
        case CriterionID.roi:
            let roi = evaluation.roi
            guard let benefit = roi.annualBenefit else {
                return "No staff hours saved were reported, so the return on investment could not be measured ("
                    + "target " + target + ")"
            }
            guard let roiPct = roi.roiPct else {
                return "The free pilot showed no measurable benefit: " + roi.benefitText(benefit)
                    + " a year in staff hours saved"
            }
            return "Return on investment came to " + MetricText.value(roiPct, unit: "%") + " ("
                + roi.benefitText(benefit) + " a year in staff hours saved against " + roi.costText(roi.annualCost)
                + " a year)" + against
        case CriterionID.nps:
            guard item.actual != nil else {
                return "No feedback responses were received, so user satisfaction (NPS) could not be measured"
                    + " (target " + target + ")"
            }
            return "NPS was " + actual + " from " + MetricText.count(evaluation.feedback.count, "response") + against
        default:
            break
        }
        guard item.actual != nil else {
            return "No " + MetricText.lowercasedStart(name) + " data was reported during the pilot (target "
                + target + ")"
        }
        switch criterion.aggregation {
        case "min", "max":
            let when = item.extremeDay.map { " on day \($0)" } ?? ""
            let verb = criterion.aggregation == "min" ? "fell to" : "peaked at"
            return name + " " + verb + " " + actual + when + against
        default:
            return name + " " + MetricAggregation.verb(criterion.aggregation) + " " + actual + against
        }
    }
}
