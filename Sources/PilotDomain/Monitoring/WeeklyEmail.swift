import Foundation

/// The weekly progress e-mail: to the lead's contacts from the founder, a short
/// summary in the body and `progress-week-N.md` attached.
public enum WeeklyEmail {
    /// The message for `week` of `thread`'s pilot. `reportText` is
    /// `WeeklyReport.render`'s output; `now` when the tick was due;
    /// `checkIn` the check-in slot when one is proposed (see `CheckInInvitation`).
    public static func message(thread: String, week: Int, evaluation: PilotEvaluation, reportText: String, now: Date,
        checkIn: KickoffSlot? = nil, providerName: String? = nil, pageURL: String? = nil) -> MIMEMessage
    {
        let request = evaluation.request
        let recipients = LeadRecipients(request)
        let company = MailHeader.sanitized(request.lead.company.name)
        let filename = WeeklyReport.fileName(week: week)
        let kind = "progress-week-\(week)"
        let body = WeeklyEmailBody(week: week, evaluation: evaluation, recipients: recipients.people,
            provider: providerName ?? AgreementRenderer.defaultProviderName(request.founder), filename: filename,
            checkIn: checkIn, pageURL: pageURL).text
        let status = evaluation.atRisk.isEmpty ? "on track" : "\(evaluation.atRisk.count) at risk"
        return MIMEMessage(from: MailAddress(request.founder), to: recipients.addresses,
            subject: company + " pilot: week \(week) progress (" + status + ")", date: now,
            messageID: MIMEMessage.messageID(thread: thread, kind: kind),
            boundary: MIMEMessage.boundary(thread: thread, kind: kind),
            parts: [
                .plainText(body),
                .attachment(filename: filename, mediaType: "text/markdown", text: reportText),
            ])
    }
}

/// The weekly e-mail's text.
struct WeeklyEmailBody {
    let week: Int
    let evaluation: PilotEvaluation
    let recipients: [Person]
    let provider: String
    let filename: String
    let checkIn: KickoffSlot?
    var pageURL: String? = nil

    var text: String {
        let e = evaluation
        let company = MailHeader.sanitized(e.request.lead.company.name)
        let days = WeeklyReport.days(week: week, durationDays: e.durationDays)
        var lines = [Greeting.line(recipients.map(\.name)), ""]
        lines.append("Here is where the pilot of \(provider) at \(company) stands after week \(week) (days "
            + "\(days.lowerBound)–\(min(days.upperBound, e.day)) of \(e.durationDays)). The full report is attached"
            + " (\(filename)).")
        lines += ["", "Success criteria so far:", ""]
        for item in e.criteria {
            let name = MailHeader.sanitized(MetricText.name(item.criterion, in: e))
            var value = MetricText.value(item.actual, of: item.criterion)
            if item.criterion.metric == CriterionID.roi, item.actual == nil, e.roi.annualBenefit != nil {
                value = "n/a (free pilot)"
            }
            let status = CriterionStatus(item)
            if status == .noData { value = "no data yet" }
            lines.append("- " + name + ": " + value + " (target " + CriterionText.target(item.criterion) + ")"
                + (status == .noData ? "" : ", " + status.label.lowercased() + ", " + item.trend.rawValue))
        }
        lines.append("")
        if e.atRisk.isEmpty {
            lines.append("Every required criterion is on track.")
        } else {
            lines.append("What needs attention:")
            lines.append("")
            lines += e.atRisk.map { "- " + CriterionSentence($0, e).atRisk }
            lines.append("")
            if let checkIn {
                lines.append("I have sent an invitation for a 30-minute check-in on " + checkIn.localDescription
                    + " to go through these together. If the time does not suit you, reply with one that does.")
            } else {
                lines.append("I would like to go through these with you in a short call this week.")
            }
        }
        if !e.missingDays.isEmpty {
            lines += ["", "We have no metrics for " + (e.missingDays.count == 1 ? "day " : "days ")
                + MetricText.list(e.missingDays.map(String.init)) + "; could you check that the daily report is"
                + " being sent?"]
        }
        let open = e.issues.unresolved
        if !open.isEmpty {
            lines += ["", MetricText.count(open.count, "issue") + (open.count == 1 ? " is" : " are")
                + " open; the report lists " + (open.count == 1 ? "it with its" : "them with their") + " status."]
        }
        if let pageURL { lines += ["", "The pilot's page shows the same figures day by day: " + pageURL] }
        lines += ["", "Best regards,", MailHeader.sanitized(e.request.founder.name), e.request.founder.email]
        return lines.joined(separator: "\n") + "\n"
    }
}
