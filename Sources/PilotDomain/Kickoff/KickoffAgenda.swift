/// The kickoff's agenda: pilot overview, success criteria, timeline. Written
/// into the invite's DESCRIPTION and, in prose, into the e-mail.
struct KickoffAgenda {
    let agreement: AgreementGenerated
    let proposedStartDate: CalendarDate?

    var durationDays: Int { agreement.durationDays }

    /// "p95 latency ≤ 300 ms (required)".
    var criteriaLines: [String] {
        agreement.criteria.map { criterion in
            let text = CriterionText(criterion, durationDays: durationDays)
            return MailHeader.sanitized(text.name) + " " + text.target + (criterion.required ? " (required)" : "")
        }
    }

    var useCaseLines: [String] {
        agreement.terms.useCases.map { MailHeader.sanitized($0.title) }
    }

    /// "Days 1–7: setup and integration", …
    var phaseLines: [String] {
        PilotPhase.allCases.map { phase in
            let days = phase.days(durationDays: durationDays)
            return "Days \(days.lowerBound)–\(days.upperBound): " + phase.title.lowercased()
        }
    }

    var startLine: String? {
        proposedStartDate.map { start in
            "Proposed start: " + EnglishDate.withWeekday(start) + ", ending "
                + EnglishDate.withWeekday(start.adding(days: durationDays - 1))
        }
    }

    /// The invite's DESCRIPTION: plain lines, the ICS writer escapes them.
    func calendarDescription(provider: String) -> String {
        var lines = ["Kickoff of the \(durationDays)-day pilot of \(provider) at "
            + MailHeader.sanitized(agreement.lead.company.name) + ".", "", "Agenda", "",
            "1. Pilot overview: goals and use cases"]
        lines += useCaseLines.map { "   - " + $0 }
        lines.append("2. Success criteria: how we measure the pilot")
        lines += criteriaLines.map { "   - " + $0 }
        lines.append("3. Timeline")
        if let startLine { lines.append("   - " + startLine) }
        lines += phaseLines.map { "   - " + $0 }
        lines.append("   - A written progress report every seven days")
        lines += ["", "The pilot agreement (\(KickoffInvitation.agreementFilename)) is attached to the invitation e-mail."]
        return lines.joined(separator: "\n")
    }
}
