import Foundation
import PilotDomain
import Testing

@Suite struct KickoffInvitationTests {
    static func invitation(_ agreement: AgreementGenerated = Fixtures.agreementGenerated) throws -> KickoffInvitation {
        let zone = Fixtures.zone(agreement.lead.timezone)
        let slot = KickoffScheduler(lead: agreement.lead).slot(after: Fixtures.now, in: zone)
        let start = ProposedStart.date(after: slot)
        let text = try AgreementRenderer().render(request: Fixtures.request, criteria: agreement.criteria,
            startDate: start)
        return KickoffInvitation(thread: Fixtures.thread, agreement: agreement, agreementText: text,
            now: Fixtures.now, timeZone: zone, proposedStartDate: start)
    }

    /// The Acme request with a contact whose name is not ASCII and one who tries header injection.
    static var trickyAgreement: AgreementGenerated {
        var agreement = Fixtures.agreementGenerated
        agreement.lead.contacts[1].name = "Zoë Ångström-Łukasiewicz"
        agreement.lead.contacts.append(Contact(name: "Eve\r\nBcc: attacker@evil.test", email: "eve@acme-analytics.com",
            technical: true))
        agreement.lead.company.name = "Acme Analytics, Inc."
        return agreement
    }

    @Test func theMeetingAndWhoIsInvited() throws {
        let invitation = try Self.invitation()
        #expect(invitation.slot.localStart.description == "2026-11-26 10:00")
        #expect(invitation.attendees == ["dana.whitfield@acme-analytics.com", "ravi.menon@acme-analytics.com",
            "sam@pilot-worker.dev"])
        #expect(invitation.invite.uid == "kickoff-acme-2026-11@pilot-worker")
        #expect(invitation.email.to.map(\.email) == ["dana.whitfield@acme-analytics.com",
            "ravi.menon@acme-analytics.com"])
        let scheduled = invitation.scheduled(icsPath: "threads/sales/acme-2026-11/kickoff-invite.ics",
            emlPath: "threads/sales/acme-2026-11/kickoff-invite.eml")
        #expect(scheduled.start == Fixtures.utc("2026-11-26T15:00:00Z"))
        #expect(scheduled.end == Fixtures.utc("2026-11-26T15:30:00Z"))
        #expect(scheduled.timezone == "America/New_York")
    }

    @Test func theBodyReadsLikeAFounderWroteIt() throws {
        let body = KickoffInvitationTests.plainBody(try Self.invitation())
        #expect(body.hasPrefix("Hi Dana and Ravi,\n\nThank you for making time for the 30-day pilot"))
        #expect(body.contains("    Thursday, 26 November 2026, 10:00–10:30 (America/New_York, UTC-05:00)\n"))
        #expect(body.contains("1. Pilot overview"))
        #expect(body.contains("   - p95 latency ≤ 300 ms (required)\n"))
        #expect(body.contains("   - Proposed start: Friday, 27 November 2026, ending Saturday, 26 December 2026\n"))
        #expect(body.contains("   - Days 8–22: active usage\n"))
        #expect(body.contains("What we need from you"))
        #expect(body.contains("A signature on the agreement from Dana Whitfield or Laura Chen"))
        #expect(body.contains("The pilot agreement is attached (pilot-agreement-custom.md)."))
        #expect(body.hasSuffix("Best regards,\nSam Okafor\nsam@pilot-worker.dev\n"))
    }

    @Test func theInviteReferencesTheAttachedAgreement() throws {
        let invitation = try Self.invitation()
        let eml = String(decoding: invitation.eml, as: UTF8.self)
        let cid = try #require(invitation.invite.attachments.first?.uri)
        #expect(cid == "cid:agreement.kickoff.acme-2026-11@pilot-worker")
        #expect(eml.contains("Content-ID: <agreement.kickoff.acme-2026-11@pilot-worker>"))
        #expect(eml.contains("Content-Type: text/calendar; charset=utf-8; method=REQUEST\r\n"))
        #expect(eml.contains(#"Content-Disposition: attachment; filename="pilot-agreement-custom.md""#))
    }

    @Test func nobodyWithoutATechnicalFlagIsLeftOut() throws {
        var agreement = Fixtures.agreementGenerated
        for index in agreement.lead.contacts.indices { agreement.lead.contacts[index].technical = false }
        agreement.lead.contacts.append(Contact(name: "Sam again", email: "SAM@pilot-worker.dev", technical: false))
        let invitation = try Self.invitation(agreement)
        #expect(invitation.attendees == ["dana.whitfield@acme-analytics.com", "ravi.menon@acme-analytics.com",
            "laura.chen@acme-analytics.com", "sam@pilot-worker.dev"])
    }

    @Test func redeliveryGivesTheSameBytes() throws {
        let first = try Self.invitation(Self.trickyAgreement)
        let second = try Self.invitation(Self.trickyAgreement)
        #expect(first.ics == second.ics)
        #expect(first.eml == second.eml)
    }

    @Test func finalAgreementEmail() throws {
        let signed = PilotSigned(signedAt: Fixtures.utc("2026-11-30T21:20:00Z"),
            signedBy: Person(name: "Laura Chen", email: "laura.chen@acme-analytics.com"), method: .email,
            startDate: Fixtures.date("2026-12-07"), amendments: Amendments(durationDays: 21))
        let final = try FinalAgreementRenderer().render(request: Fixtures.request, proposedCriteria: Fixtures.criteria,
            proposedStartDate: Fixtures.date("2026-12-01"), signed: signed)
        let message = FinalAgreementEmail.message(thread: Fixtures.thread, request: Fixtures.request, signed: signed,
            final: final, now: Fixtures.utc("2026-11-30T21:25:00Z"))
        #expect(message.to.map(\.email) == ["laura.chen@acme-analytics.com", "dana.whitfield@acme-analytics.com",
            "ravi.menon@acme-analytics.com"])
        #expect(message.subject == "Acme Analytics pilot: final agreement, starting 7 December 2026")
        #expect(message.messageID == "final-agreement.acme-2026-11@pilot-worker")
        let body = String(decoding: message.parts[0].body, as: UTF8.self)
        #expect(body.hasPrefix("Hi Laura, Dana and Ravi,\n\nThank you for signing the pilot agreement, Laura."))
        #expect(body.contains("- Duration: 30 days → 21 days\n"))
        #expect(body.contains("- Success criterion: Staff hours saved: ≥ 51.4 h, required → ≥ 36 h, required\n"))
        #expect(body.contains("from Monday, 7 December 2026 to Sunday, 27 December 2026."))
        #expect(message.parts[1].disposition?.filename == "pilot-agreement-final.md")
    }

    static func plainBody(_ invitation: KickoffInvitation) -> String {
        String(decoding: invitation.email.parts[0].body, as: UTF8.self)
    }
}
