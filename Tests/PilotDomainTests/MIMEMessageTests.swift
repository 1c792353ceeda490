import Foundation
@testable import PilotDomain
import Testing

/// Attachments carry their text with CRLF line ends, converted in one pass over the bytes;
/// Foundation's replacements, which did it before, are the reference.
@Suite struct AttachmentLineEndTests {
    static func reference(_ text: String) -> [UInt8] {
        Array(text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .replacingOccurrences(of: "\n", with: "\r\n").utf8)
    }

    @Test func everyLineEndBecomesCRLF() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["\r", "\n", "\r\n", "\n\r", "a", "é", "✓", " "]
        var texts = ["", "\r", "\n", "\r\r\n", "a\r\nb\nc\rd", "é\n"]
        for _ in 0..<2_000 {
            texts.append((0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined())
        }
        for text in texts {
            let body = MIMEPart.attachment(filename: "a.md", mediaType: "text/markdown", text: text).body
            #expect(body == Self.reference(text), "\(Array(text.utf8))")
            if body != Self.reference(text) { return }
        }
    }
}

@Suite struct MIMEMessageTests {
    func message(to: [MailAddress], subject: String = "Kickoff", from: MailAddress? = nil) -> MIMEMessage {
        MIMEMessage(from: from ?? MailAddress(name: "Sam Okafor", email: "sam@pilot-worker.dev"), to: to,
            subject: subject, date: Fixtures.now, messageID: MIMEMessage.messageID(thread: "t-1", kind: "kickoff"),
            boundary: MIMEMessage.boundary(thread: "t-1", kind: "kickoff"),
            parts: [.plainText("Hello\n"), .attachment(filename: "a.md", mediaType: "text/markdown", text: "# A\n")])
    }

    func headers(_ message: MIMEMessage) -> String {
        let text = String(decoding: message.serialized(), as: UTF8.self)
        return String(text[..<text.range(of: "\r\n\r\n")!.lowerBound]) + "\r\n"
    }

    /// Header fields unfolded, as `Name: value`.
    func fields(_ message: MIMEMessage) -> [String] {
        headers(message).replacingOccurrences(of: "\r\n ", with: " ").components(separatedBy: "\r\n").dropLast()
    }

    @Test func headerBlock() {
        let text = headers(message(to: [MailAddress(name: "Dana Whitfield", email: "dana@acme.test")]))
        #expect(text == """
            From: Sam Okafor <sam@pilot-worker.dev>\r
            To: Dana Whitfield <dana@acme.test>\r
            Subject: Kickoff\r
            Date: Wed, 25 Nov 2026 09:00:00 +0000\r
            Message-ID: <kickoff.t-1@pilot-worker>\r
            MIME-Version: 1.0\r
            Content-Type: multipart/mixed; boundary="\(MIMEMessage.boundary(thread: "t-1", kind: "kickoff"))"\r

            """)
    }

    @Test func headerInjectionIsImpossible() {
        let evil = MailAddress(name: "Eve\r\nBcc: attacker@evil.test", email: "eve@x.test\r\nBcc: a@evil.test")
        let message = message(to: [evil], subject: "Hi\r\nBcc: attacker@evil.test\nX-Evil: 1", from: evil)
        let fields = fields(message)
        #expect(!fields.contains { $0.hasPrefix("Bcc") || $0.hasPrefix("X-Evil") })
        #expect(fields.contains(#"To: "Eve Bcc: attacker@evil.test" <eve@x.testBcc:a@evil.test>"#))
        #expect(fields.contains("Subject: Hi Bcc: attacker@evil.test X-Evil: 1"))
        #expect(fields.count == 7)
    }

    @Test func nonASCIINamesAndSubjectsAreEncodedWords() {
        let message = message(to: [MailAddress(name: "Zoë Ångström", email: "zoe@acme.test")],
            subject: "Pilot kickoff — Zoë")
        let fields = fields(message)
        #expect(fields.contains("To: =?UTF-8?B?Wm/DqyDDhW5nc3Ryw7Zt?= <zoe@acme.test>"))
        #expect(fields.contains("Subject: =?UTF-8?B?UGlsb3Qga2lja29mZiDigJQgWm/Dqw==?="))
        // Text that looks like an encoded word is encoded, so it reads back literally.
        let lookalike = self.message(to: [MailAddress(email: "a@b.test")], subject: "=?UTF-8?B?SGk=?=")
        #expect(self.fields(lookalike).contains("Subject: =?UTF-8?B?PT9VVEYtOD9CP1NHaz0/PQ==?="))
    }

    @Test func quotesSpecialsInDisplayNames() {
        let fields = fields(message(to: [MailAddress(name: "Whitfield, Dana \"D.\"", email: "d@acme.test"),
            MailAddress(email: "bare@acme.test")]))
        #expect(fields.contains(#"To: "Whitfield, Dana \"D.\"" <d@acme.test>, <bare@acme.test>"#))
    }

    @Test func longHeadersFoldBefore78() {
        let people = (1...6).map { MailAddress(name: "Person Number \($0)", email: "person.\($0)@acme-analytics.test") }
        let long = "Ünïcödé " + String(repeating: "subject words ", count: 12)
        let text = headers(message(to: people, subject: long))
        for line in text.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 78, "\(line)")
        }
        #expect(fields(message(to: people, subject: long)).first { $0.hasPrefix("To:") }?.components(separatedBy: ",")
            .count == 6)
    }

    /// One character of hundreds of bytes (a letter and 300 combining accents) is split
    /// between its scalars: every line stays under 78, and the words decode back to it.
    @Test func aCharacterLongerThanAWordIsSplitBetweenItsScalars() throws {
        let heavy = "Dana e" + String(repeating: "\u{301}", count: 300) + " Whitfield"
        let message = message(to: [MailAddress(name: heavy, email: "dana@acme.test")], subject: heavy)
        for line in headers(message).components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 78, "\(line.prefix(100))…")
        }
        let words = MailHeader.encodedWords(heavy)
        var decoded: [UInt8] = []
        for word in words {
            #expect(word.utf8.count <= 75)
            let base64 = word.dropFirst("=?UTF-8?B?".count).dropLast("?=".count)
            let bytes = try #require(Data(base64Encoded: String(base64)))
            #expect(String(data: bytes, encoding: .utf8) != nil, "each word decodes on its own")
            decoded += bytes
        }
        #expect(String(decoding: decoded, as: UTF8.self) == heavy)
    }

    @Test func bodyPartsAndBoundary() {
        let text = String(decoding: message(to: [MailAddress(email: "a@b.test")]).serialized(), as: UTF8.self)
        let boundary = MIMEMessage.boundary(thread: "t-1", kind: "kickoff")
        #expect(boundary.hasPrefix("=_pilot_kickoff_") && boundary.count <= 70)
        #expect(text.components(separatedBy: "\r\n--" + boundary + "\r\n").count == 3)
        #expect(text.hasSuffix("\r\n--" + boundary + "--\r\n"))
        #expect(text.contains("""
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            Hello\r

            """))
        #expect(text.contains("""
            Content-Type: text/markdown; charset=utf-8; name="a.md"\r
            Content-Transfer-Encoding: base64\r
            Content-Disposition: attachment; filename="a.md"\r
            \r
            IyBBDQo=\r

            """))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test func quotedPrintableAndBase64Lines() {
        let long = String(repeating: "Zoë ≤ 300 ms = fine. ", count: 10) + "trailing space "
        let part = MIMEPart.plainText(long + "\nnext")
        let message = MIMEMessage(from: MailAddress(email: "a@b.test"), to: [MailAddress(email: "c@d.test")],
            subject: "x", date: Fixtures.now, messageID: "m@x", boundary: "b", parts: [part,
                .attachment(filename: "big.md", mediaType: "text/markdown", text: String(repeating: "ä", count: 500))])
        let text = String(decoding: message.serialized(), as: UTF8.self)
        for line in text.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 76, "\(line)")
        }
        let unfolded = text.replacingOccurrences(of: "=\r\n", with: "")
        #expect(unfolded.contains("trailing space=20\r\nnext\r\n"))
        #expect(unfolded.contains("Zo=C3=AB =E2=89=A4 300 ms =3D fine."))
        // Every "=" starts a soft break or an =XX sequence: a break never splits one.
        let body = text.components(separatedBy: "quoted-printable\r\n\r\n")[1].components(separatedBy: "\r\n--b")[0]
        let bytes = Array(body.utf8)
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "=") {
            let next = bytes[(index + 1)...].prefix(2)
            #expect(next.elementsEqual("\r\n".utf8) || next.allSatisfy { ("0"..."9").contains(UnicodeScalar($0))
                || ("A"..."F").contains(UnicodeScalar($0)) })
        }
        #expect(body.hasSuffix("next\r\n"))
    }

    @Test func idsAreDeterministicAndDistinct() {
        #expect(MIMEMessage.messageID(thread: "acme-2026-11", kind: "kickoff") == "kickoff.acme-2026-11@pilot-worker")
        #expect(MIMEMessage.messageID(thread: "acme.", kind: "kickoff") == "kickoff.acme=@pilot-worker")
        #expect(MIMEMessage.boundary(thread: "a", kind: "kickoff") == MIMEMessage.boundary(thread: "a", kind: "kickoff"))
        #expect(MIMEMessage.boundary(thread: "a", kind: "kickoff") != MIMEMessage.boundary(thread: "b", kind: "kickoff"))
    }

    @Test func greetings() {
        #expect(Greeting.line(["Dana Whitfield"]) == "Hi Dana,")
        #expect(Greeting.line(["Dana Whitfield", "Ravi Menon"]) == "Hi Dana and Ravi,")
        #expect(Greeting.line(["Dana W", "Ravi M", "Zoë Å"]) == "Hi Dana, Ravi and Zoë,")
        #expect(Greeting.line([]) == "Hi all,")
        #expect(Greeting.line(["Eve\r\nBcc: x"]) == "Hi Eve,")
    }
}
