import Foundation
import PilotDomain
import PilotJSON
import Testing

/// The rendered invite and e-mail read back by independent parsers: Python's
/// `icalendar` and `email` (policy.default), through `python/check_invite.py`.
/// Skipped, saying why, where python3 or icalendar is missing.
@Suite struct ParserPeerTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("python/check_invite.py").path

    /// The facts `check_invite.py` prints for `invitation`'s files, or a cancelled test.
    func facts(_ invitation: KickoffInvitation) throws -> JSONValue {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pilot-domain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let ics = folder.appendingPathComponent("kickoff-invite.ics")
        let eml = folder.appendingPathComponent("kickoff-invite.eml")
        try Data(invitation.ics.utf8).write(to: ics)
        try Data(invitation.eml).write(to: eml)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script, "--ics", ics.path, "--eml", eml.path]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            print("SKIPPED ParserPeerTests: cannot run python3 (\(error))")
            try Test.cancel("python3 is not available")
        }
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus == 127 {
            print("SKIPPED ParserPeerTests: python3 not found: \(stderr)")
            try Test.cancel("python3 is not available")
        }
        let facts = try JSONValue(parsing: Array(stdout))
        if process.terminationStatus == 3, let reason = facts["skip"]?.string {
            print("SKIPPED ParserPeerTests: \(reason)")
            try Test.cancel(Comment(rawValue: reason))
        }
        try #require(process.terminationStatus == 0, "check_invite.py failed: \(stderr)")
        return facts
    }

    func strings(_ value: JSONValue?, _ key: String) -> [String] {
        (value?.array ?? []).compactMap { $0[key]?.string }
    }

    @Test func theKickoffAsOtherClientsReadIt() throws {
        let invitation = try KickoffInvitationTests.invitation()
        let facts = try facts(invitation)
        let ics = try #require(facts["ics"])
        #expect(ics["method"] == "REQUEST")
        #expect(ics["version"] == "2.0")
        #expect(ics["events"] == 1)
        #expect(ics["duration_minutes"]?.number == 30)
        #expect(ics["tzid"] == "America/New_York")
        #expect(ics["dtend_tzid"] == "America/New_York")
        #expect(ics["start_local"] == "2026-11-26T10:00:00")
        #expect(ics["start_utc"] == "2026-11-26T15:00:00Z")
        #expect(ics["dtstamp"] == "2026-11-25T09:00:00Z")
        #expect(ics["uid"] == "kickoff-acme-2026-11@pilot-worker")
        #expect(ics["status"] == "CONFIRMED")
        #expect(strings(ics["attendees"], "email") == ["dana.whitfield@acme-analytics.com",
            "ravi.menon@acme-analytics.com", "sam@pilot-worker.dev"])
        #expect(strings(ics["attendees"], "partstat") == ["NEEDS-ACTION", "NEEDS-ACTION", "ACCEPTED"])
        #expect(ics["organizer"]?["email"] == "sam@pilot-worker.dev")
        #expect(ics["attach"]?.array?.first?["fmttype"] == "text/markdown")
        // The VTIMEZONE we wrote gives the same offset as the reader's own tz database.
        #expect(ics["vtimezones"]?.array?.first?["offset_at_start_minutes"]?.number == -300)
        #expect(ics["offset_at_start_minutes"]?.number == -300)
        #expect(ics["description"]?.string?.contains("2. Success criteria: how we measure the pilot\n") == true)

        let eml = try #require(facts["eml"])
        #expect(eml["defects"] == [])
        #expect(eml["content_type"] == "multipart/mixed")
        #expect(eml["mime_version"] == "1.0")
        #expect(eml["from"]?.array?.first?["email"] == "sam@pilot-worker.dev")
        #expect(strings(eml["to"], "email") == ["dana.whitfield@acme-analytics.com", "ravi.menon@acme-analytics.com"])
        #expect(eml["subject"] == "Acme Analytics pilot kickoff: Thu 26 Nov, 10:00 America/New_York")
        #expect(eml["date"] == "2026-11-25T09:00:00Z")
        #expect(eml["message_id"] == "<kickoff.acme-2026-11@pilot-worker>")
        let parts = try #require(eml["parts"]?.array)
        #expect(parts.map { $0["content_type"]?.string ?? "" } == ["text/plain", "text/calendar", "text/markdown"])
        #expect(parts.allSatisfy { $0["defects"] == [] && $0["charset"] == "utf-8" })
        #expect(parts[1]["method"] == "REQUEST")
        #expect(parts[1]["calendar_method"] == "REQUEST")
        #expect(parts[1]["filename"] == "invite.ics")
        #expect(parts[2]["disposition"] == "attachment")
        #expect(parts[2]["filename"] == "pilot-agreement-custom.md")
        #expect(parts[2]["text"]?.string?.hasPrefix("# Pilot Agreement\n\n**Acme Analytics**") == true)
        #expect(parts[2]["content_id"]?.string.map { "cid:" + $0.dropFirst().dropLast() }
            == ics["attach"]?.array?.first?["uri"]?.string)
        #expect(eml["attachments"]?.array?.contains {
            $0["filename"] == "pilot-agreement-custom.md" && $0["content_type"] == "text/markdown"
        } == true)
        #expect(eml["body"]?.string == KickoffInvitationTests.plainBody(invitation))
    }

    @Test func nonASCIINamesAndAnInjectionAttempt() throws {
        let invitation = try KickoffInvitationTests.invitation(KickoffInvitationTests.trickyAgreement)
        let facts = try facts(invitation)
        let eml = try #require(facts["eml"])
        #expect(eml["defects"] == [])
        #expect(strings(eml["to"], "name") == ["Dana Whitfield", "Zoë Ångström-Łukasiewicz",
            "Eve Bcc: attacker@evil.test"])
        #expect(strings(eml["to"], "email") == ["dana.whitfield@acme-analytics.com", "ravi.menon@acme-analytics.com",
            "eve@acme-analytics.com"])
        let headers = (eml["header_names"]?.array ?? []).compactMap(\.string)
        #expect(headers == ["From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type"])
        #expect(eml["subject"] == "Acme Analytics, Inc. pilot kickoff: Thu 26 Nov, 10:00 America/New_York")
        #expect(eml["body"]?.string?.hasPrefix("Hi Dana, Zoë and Eve,\n") == true)

        let ics = try #require(facts["ics"])
        #expect(strings(ics["attendees"], "cn") == ["Dana Whitfield", "Zoë Ångström-Łukasiewicz",
            "Eve Bcc: attacker@evil.test", "Sam Okafor"])
        #expect(ics["summary"] == "Acme Analytics, Inc. pilot kickoff")
        #expect(eml["parts"]?.array?[1]["calendar_attendees"]?.array?.count == 4)
    }

    @Test(arguments: ["Asia/Kolkata", "Pacific/Auckland", "Europe/Berlin", "America/Los_Angeles"])
    func otherZonesReadTheSame(zone: String) throws {
        var agreement = Fixtures.agreementGenerated
        agreement.lead.timezone = zone
        let invitation = try KickoffInvitationTests.invitation(agreement)
        let ics = try #require(facts(invitation)["ics"])
        #expect(ics["tzid"]?.string == zone)
        #expect(ics["duration_minutes"]?.number == 30)
        let local = invitation.slot.localStart
        #expect(ics["start_local"]?.string == local.date.iso + "T" + local.time.description + ":00")
        let offset = Double(invitation.slot.utcOffsetSeconds) / 60
        #expect(ics["offset_at_start_minutes"]?.number == offset)
        #expect(ics["vtimezones"]?.array?.first?["offset_at_start_minutes"]?.number == offset)
        let observances = ics["vtimezones"]?.array?.first?["observances"]
        #expect(observances == (zone == "Asia/Kolkata" ? ["STANDARD"] : ["STANDARD", "DAYLIGHT"])
            || observances == ["DAYLIGHT", "STANDARD"])
    }
}
