import Foundation
import PilotDomain
import Testing

@Suite struct ICalendarTests {
    func invite(zone: String = "America/New_York", start: String = "2026-11-26T15:00:00Z",
        summary: String = "Acme Analytics pilot kickoff", description: String = "Agenda",
        attendees: [ICalendarInvite.Attendee]? = nil) -> ICalendarInvite
    {
        let start = Fixtures.utc(start)
        return ICalendarInvite(uid: "kickoff-acme-2026-11@pilot-worker", stamp: Fixtures.now, start: start,
            end: start.addingTimeInterval(1_800), timeZone: Fixtures.zone(zone), summary: summary,
            description: description, organizer: Person(name: "Sam Okafor", email: "sam@pilot-worker.dev"),
            attendees: attendees ?? [ICalendarInvite.Attendee(Person(name: "Dana Whitfield",
                email: "dana.whitfield@acme-analytics.com"))],
            attachments: [ICalendarInvite.Attachment(uri: "cid:agreement@pilot-worker", mediaType: "text/markdown")])
    }

    /// Physical lines, CRLF removed; fails the test on a bare LF or CR.
    func physicalLines(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        for (index, byte) in bytes.enumerated() {
            if byte == 0x0A { #expect(index > 0 && bytes[index - 1] == 0x0D, "bare LF at \(index)") }
            if byte == 0x0D { #expect(index + 1 < bytes.count && bytes[index + 1] == 0x0A, "bare CR at \(index)") }
        }
        #expect(text.hasSuffix("\r\n"))
        return text.components(separatedBy: "\r\n").dropLast()
    }

    /// Content lines after unfolding.
    func unfolded(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n").dropLast()
    }

    @Test func structureAndTimes() {
        let lines = unfolded(invite().render())
        #expect(Array(lines.prefix(5)) == ["BEGIN:VCALENDAR", "PRODID:-//pilot-worker//Sales pilot//EN",
            "VERSION:2.0", "CALSCALE:GREGORIAN", "METHOD:REQUEST"])
        #expect(lines.last == "END:VCALENDAR")
        for line in ["UID:kickoff-acme-2026-11@pilot-worker", "SEQUENCE:0", "DTSTAMP:20261125T090000Z",
            "DTSTART;TZID=America/New_York:20261126T100000", "DTEND;TZID=America/New_York:20261126T103000",
            "SUMMARY:Acme Analytics pilot kickoff", "ORGANIZER;CN=Sam Okafor:mailto:sam@pilot-worker.dev",
            "ATTENDEE;CN=Dana Whitfield;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:"
                + "mailto:dana.whitfield@acme-analytics.com",
            "ATTACH;FMTTYPE=text/markdown:cid:agreement@pilot-worker", "STATUS:CONFIRMED"]
        {
            #expect(lines.contains(line), "\(line)")
        }
    }

    @Test func vtimezoneForADaylightSavingZone() {
        let text = invite().render()
        #expect(text.contains("""
            BEGIN:VTIMEZONE\r
            TZID:America/New_York\r
            BEGIN:STANDARD\r
            DTSTART:20261101T020000\r
            TZOFFSETFROM:-0400\r
            TZOFFSETTO:-0500\r
            END:STANDARD\r
            BEGIN:DAYLIGHT\r
            DTSTART:20270314T020000\r
            TZOFFSETFROM:-0500\r
            TZOFFSETTO:-0400\r
            END:DAYLIGHT\r
            END:VTIMEZONE\r

            """))
    }

    @Test func vtimezoneInSummerAndSouthernHemisphere() {
        let berlin = invite(zone: "Europe/Berlin", start: "2026-07-01T08:00:00Z").render()
        #expect(berlin.contains("BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"))
        #expect(berlin.contains("BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"))
        #expect(berlin.contains("DTSTART;TZID=Europe/Berlin:20260701T100000"))
        let auckland = invite(zone: "Pacific/Auckland", start: "2026-11-26T01:30:00Z").render()
        #expect(auckland.contains("BEGIN:DAYLIGHT\r\nDTSTART:20260927T020000\r\nTZOFFSETFROM:+1200\r\nTZOFFSETTO:+1300\r\n"))
        #expect(auckland.contains("BEGIN:STANDARD\r\nDTSTART:20270404T030000\r\nTZOFFSETFROM:+1300\r\nTZOFFSETTO:+1200\r\n"))
        #expect(auckland.contains("DTSTART;TZID=Pacific/Auckland:20261126T143000"))
    }

    @Test func vtimezoneWithoutDaylightSaving() {
        let text = invite(zone: "Asia/Kolkata", start: "2026-12-01T04:30:00Z").render()
        #expect(text.contains("""
            TZID:Asia/Kolkata\r
            BEGIN:STANDARD\r
            DTSTART:19700101T000000\r
            TZOFFSETFROM:+0530\r
            TZOFFSETTO:+0530\r
            END:STANDARD\r
            END:VTIMEZONE\r

            """))
        #expect(!text.contains("DAYLIGHT"))
        #expect(text.contains("DTSTART;TZID=Asia/Kolkata:20261201T100000"))
    }

    @Test func foldsAt75OctetsWithoutSplittingCharacters() {
        let description = String(repeating: "Zoë Ångström ≥ 99.5% 🚀 ", count: 20)
        let text = invite(summary: "Kickoff — " + String(repeating: "é", count: 90), description: description)
            .render()
        for line in physicalLines(text) {
            #expect(line.utf8.count <= 75, "\(line.utf8.count) octets: \(line)")
        }
        // Every physical line is valid UTF-8 on its own: no sequence was cut in two.
        for chunk in text.data(using: .utf8)!.split(separator: 0x0A) {
            #expect(String(data: Data(chunk), encoding: .utf8) != nil)
        }
        let lines = unfolded(text)
        #expect(lines.contains("SUMMARY:Kickoff — " + String(repeating: "é", count: 90)))
        #expect(lines.contains("DESCRIPTION:" + description))
        // A 2-byte character at the limit moves to the next line: 74 octets, not 76.
        let folded = ICalendarText.fold("X:" + String(repeating: "a", count: 72) + "éé")
        #expect(folded == "X:" + String(repeating: "a", count: 72) + "\r\n éé\r\n")
    }

    @Test func textAndParameterEscaping() {
        #expect(ICalendarText.escapeText("a\\b;c,d\ne\r\nf\rg\u{0}h") == #"a\\b\;c\,d\ne\nf\ngh"#)
        #expect(ICalendarText.parameterValue("Okafor, Sam") == #""Okafor, Sam""#)
        #expect(ICalendarText.parameterValue("Dana \"DW\" Whitfield") == "Dana DW Whitfield")
        #expect(ICalendarText.parameterValue("Eve\r\nBcc: x") == #""Eve Bcc: x""#)
        #expect(ICalendarText.parameterValue("Zoë") == "Zoë")
        let text = invite(summary: "Pilot; phase 1, kickoff", description: "Line 1\nLine 2",
            attendees: [ICalendarInvite.Attendee(Person(name: "Eve\r\nATTENDEE:mailto:x@evil.test",
                email: "eve@x.test\r\nX-INJECTED:1"))]).render()
        let lines = unfolded(text)
        #expect(lines.contains(#"SUMMARY:Pilot\; phase 1\, kickoff"#))
        #expect(lines.contains(#"DESCRIPTION:Line 1\nLine 2"#))
        #expect(lines.filter { $0.hasPrefix("ATTENDEE") } == [
            #"ATTENDEE;CN="Eve ATTENDEE:mailto:x@evil.test";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;"#
                + "RSVP=TRUE:mailto:eve@x.testX-INJECTED:1"
        ])
        #expect(!lines.contains { $0.hasPrefix("X-INJECTED") })
    }

    @Test func sameInputSameBytes() {
        #expect(invite().render() == invite().render())
    }
}

@Suite struct CheckInInviteTests {
    @Test func aCheckInCallReusesTheWriterWithItsOwnIdentity() {
        let zone = Fixtures.zone("Europe/Berlin")
        let slot = KickoffScheduler(leadBusinessDays: 0).slot(after: Fixtures.utc("2026-12-14T07:00:00Z"), in: zone)
        let invite = ICalendarInvite(uid: ICalendarInvite.uid(thread: Fixtures.thread, kind: "checkin-day-12"),
            sequence: 0, stamp: Fixtures.utc("2026-12-14T07:00:00Z"), start: slot.start, end: slot.end,
            timeZone: zone, summary: "Acme Analytics pilot check-in: uptime at risk",
            description: "Uptime was 97.2% on day 12 (target ≥ 99.5%).",
            organizer: Person(name: "Sam Okafor", email: "sam@pilot-worker.dev"),
            attendees: [ICalendarInvite.Attendee(Person(name: "Dana Whitfield", email: "dana@acme.test"))])
        let text = invite.render()
        #expect(text.contains("UID:checkin-day-12-acme-2026-11@pilot-worker\r\n"))
        #expect(text.contains("DTSTART;TZID=Europe/Berlin:20261214T100000\r\n"))
        #expect(text.contains("DTEND;TZID=Europe/Berlin:20261214T103000\r\n"))
        #expect(!text.contains("ATTACH"))
        #expect(ICalendarInvite.uid(thread: Fixtures.thread, kind: "kickoff") == "kickoff-acme-2026-11@pilot-worker")
    }
}
