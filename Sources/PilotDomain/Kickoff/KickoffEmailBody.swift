/// The kickoff e-mail's text: what a founder would write by hand.
struct KickoffEmailBody {
    let agreement: AgreementGenerated
    let people: KickoffPeople
    let slot: KickoffSlot
    let agenda: KickoffAgenda
    let provider: String
    var move: KickoffInvitation.Move? = nil
    var pageURL: String? = nil

    var text: String {
        let company = MailHeader.sanitized(agreement.lead.company.name)
        var lines = [Greeting.line(people.invitees.map(\.name)), ""]
        if let move {
            lines.append("Our kickoff call for the \(agenda.durationDays)-day pilot of \(provider) at \(company) moves from"
                + " \(move.previous.localDescription) to:")
            lines += ["", "    " + slot.localDescription, ""]
            if let reason = move.reason { lines += ["Why: " + MailHeader.sanitized(reason), ""] }
            lines.append("The updated calendar invitation replaces the first one. Everything else stays as planned:")
            lines.append("")
        } else {
            lines.append("Thank you for making time for the \(agenda.durationDays)-day pilot of \(provider) at \(company)."
                + " I would like to start with a 30-minute kickoff call:")
            lines += ["", "    " + slot.localDescription, ""]
        }
        lines.append("The calendar invitation is attached. If the time does not suit you, reply with two or three"
            + " times that do and I will move it.")
        lines += ["", "Agenda", ""]
        lines.append("1. Pilot overview: what we want to prove, with these use cases:")
        lines += agenda.useCaseLines.map { "   - " + $0 }
        lines.append("2. Success criteria: the targets we measure the pilot against:")
        lines += agenda.criteriaLines.map { "   - " + $0 }
        lines.append("3. Timeline:")
        if let start = agenda.startLine { lines.append("   - " + start) }
        lines += agenda.phaseLines.map { "   - " + $0 }
        lines.append("   - " + supportLine)
        lines += ["", "What we need from you", ""]
        lines += needs.map { "- " + $0 }
        lines += ["", "The pilot agreement is attached (\(KickoffInvitation.agreementFilename)). Please have a look"
            + " before the call; we can settle any open points there.", ""]
        if let pageURL {
            lines += ["The pilot has a page of its own, for you and your team: the agreed terms, the success criteria"
                + " against their targets, the milestones and the next step, updated every day:", "", "    " + pageURL, ""]
        }
        lines += ["Best regards,", MailHeader.sanitized(agreement.founder.name), agreement.founder.email]
        return lines.joined(separator: "\n") + "\n"
    }

    var supportLine: String {
        switch agreement.terms.supportLevel {
        case .dailyCheckins: "A 15-minute check-in call every business day, and a progress report every seven days"
        case .async: "Support by chat and e-mail, and a written progress report every seven days"
        }
    }

    var needs: [String] {
        var needs: [String] = []
        // The integrations are only named in the request; the criteria say whether any were listed.
        if agreement.criteria.contains(where: { $0.id == CriterionID.integrations }) {
            needs.append("A technical contact and test access for each system we integrate with")
        } else {
            needs.append("Test access to the systems the pilot works with")
        }
        needs.append("The names of the people who will use the product day to day, so that their accounts are"
            + " ready on day 1")
        needs.append("The daily numbers we measure against your baseline (usage, and the hours the work takes)")
        let signers = agreement.lead.contacts.filter { $0.decisionMaker == true }.map { MailHeader.sanitized($0.name) }
        if signers.isEmpty {
            needs.append("The name of the person who will sign the pilot agreement")
        } else {
            needs.append("A signature on the agreement from " + signers.joined(separator: " or ")
                + " once the terms suit you")
        }
        return needs
    }
}
