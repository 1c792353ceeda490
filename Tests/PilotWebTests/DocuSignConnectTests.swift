import Foundation
import PilotIntake
import PilotJSON
import PilotRuntime
import PilotStageAPI
import PilotTestKit
import Testing
@testable import PilotWeb

@Suite struct DocuSignConnectTests {
    let received = Date(timeIntervalSince1970: 1_800_000_000)

    func outcome(_ bytes: [UInt8]) throws -> DocuSignOutcome {
        try DocuSignConnect.outcome(of: try JSONValue(parsing: bytes), receivedAt: received)
    }

    func event(_ bytes: [UInt8]) throws -> CloudEvent {
        guard case .publish(let event) = try outcome(bytes) else {
            Issue.record("ignored")
            throw CancellationError()
        }
        // Whatever the mapping makes must pass the same check as any incoming event.
        return try IncomingEvent.check(event.document, contracts: TestEvents.contracts)
    }

    @Test func completedBecomesSignedByTheFirstSignerInRoutingOrder() throws {
        let signed = try event(Fixtures.notification())
        #expect(signed.type == "pilot.signed")
        #expect(signed.subject == "acme-2026-11")
        #expect(signed.source == "/docusign")
        #expect(signed.data["method"] == "docusign")
        #expect(signed.data["signed_by"] == ["name": "Dana Whitfield", "email": "dana@acme.example"])
        #expect(signed.data["signed_at"] == "2026-11-28T14:59:58.5530000Z")
        #expect(signed.data["start_date"] == "2026-12-01")
        #expect(signed.time == "2026-11-28T14:59:58.5530000Z")
        #expect(signed.id == DerivedID.make(cause: "4f1e2d3c-0000-4000-8000-00000000abcd", type: "pilot.signed", discriminator: "envelope-completed"))
    }

    @Test func withoutStartDateThePilotStartsOnTheUTCDateOfTheSignature() throws {
        let signed = try event(Fixtures.notification(startDate: nil))
        #expect(signed.data["start_date"] == "2026-11-28")
        #expect(DocuSignConnect.utcDate("2026-11-28T23:30:00-05:00") == "2026-11-29")
        #expect(DocuSignConnect.utcDate("2026-11-28T00:30:00+02:00") == "2026-11-27")
        #expect(DocuSignConnect.instant("2026-11-28T14:59:58.553") == "2026-11-28T14:59:58.553Z")
    }

    @Test func declinedCarriesTheSignersReason() throws {
        let declined = try event(Fixtures.notification(event: "envelope-declined", declinedReason: "Budget frozen until April."))
        #expect(declined.type == "pilot.declined")
        #expect(declined.data["reason"] == "Budget frozen until April.")
        #expect(declined.data["declined_at"] == "2026-11-29T10:15:00.1230000Z")
    }

    /// The schema counts a reason's length in code points: one cut by characters could be
    /// longer than that, be refused on every resend, and the decline would never arrive.
    @Test func aLongReasonIsCutToTheSchemasLength() throws {
        let reason = String(repeating: "👍🏽", count: 1_500)
        let declined = try event(Fixtures.notification(event: "envelope-declined", declinedReason: reason))
        let kept = try #require(declined.data["reason"]?.string)
        #expect(kept.unicodeScalars.count == 2_000)
        #expect(reason.hasPrefix(kept))
    }

    @Test func voidedCarriesTheVoidedReason() throws {
        let voided = try event(Fixtures.notification(event: "envelope-voided", voidedReason: "Sent to the wrong person"))
        #expect(voided.type == "pilot.declined")
        #expect(voided.data["reason"] == "Sent to the wrong person")
        #expect(voided.data["declined_at"] == "2026-11-29T11:00:00.0000000Z")
        #expect(voided.id != (try event(Fixtures.notification(event: "envelope-declined"))).id)
    }

    @Test func aRetriedNotificationMakesTheSameEventByteForByte() throws {
        let first = try event(Fixtures.notification())
        let again = try event(Fixtures.notification())
        #expect(first.document.serializedBytes() == again.document.serializedBytes())
    }

    @Test func otherEventsAreIgnored() throws {
        guard case .ignore(let name) = try outcome(Fixtures.notification(event: "recipient-delivered")) else {
            Issue.record("not ignored")
            return
        }
        #expect(name == "recipient-delivered")
    }

    @Test(arguments: [
        (Fixtures.notification(thread: nil), "no text custom field \"thread_id\""),
        (Fixtures.notification(thread: "../etc"), "is not a valid thread id"),
        (Array(#"{"event": "envelope-completed", "data": {}}"#.utf8), "data.envelopeId"),
        (Array(#"{"data": {}}"#.utf8), "missing \"event\""),
    ])
    func anUnusableNotificationSaysWhy(bytes: [UInt8], expected: String) throws {
        do {
            _ = try outcome(bytes)
            Issue.record("accepted")
        } catch {
            #expect("\(error)".contains(expected), "\(error)")
        }
    }

    @Test func aStartDateThatIsNotADateFailsTheSchema() throws {
        guard case .publish(let event) = try outcome(Fixtures.notification(startDate: "next monday")) else {
            Issue.record("ignored")
            return
        }
        #expect(throws: IncomingEventError.self) { try IncomingEvent.check(event.document, contracts: TestEvents.contracts) }
    }
}
