import Contracts
import Foundation
import PilotJSON
import Testing

@testable import PilotStageAPI

@Suite struct DerivedIDTests {
    @Test func sha1MatchesTheStandardVectors() {
        let hex = { (bytes: [UInt8]) in bytes.map { String(format: "%02x", $0) }.joined() }
        #expect(hex(SHA1.digest(Array("abc".utf8))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(hex(SHA1.digest([])) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(hex(SHA1.digest(Array(String(repeating: "a", count: 1000).utf8))) == "291e9a6c66994949b57ba5e650361e98fc36b1ba")
    }

    @Test func derivedIDsAreVersion5UUIDsOfTheCause() {
        let id = DerivedID.make(cause: "e1", type: "pilot.agreement.generated")
        #expect(id == DerivedID.make(cause: "e1", type: "pilot.agreement.generated"))
        #expect(id.count == 36)
        #expect(Array(id)[14] == "5")
        #expect(id != DerivedID.make(cause: "e1", type: "pilot.agreement.generated", discriminator: "x"))
    }
}

@Suite struct EventTimeTests {
    @Test func formatsRFC3339InUTCWholeSeconds() {
        #expect(EventTime.string(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(EventTime.string(Date(timeIntervalSince1970: 1_795_000_000.9)) == "2026-11-18T11:06:40Z")
        #expect(EventTime.string(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
        #expect(EventTime.date(EventTime.string(Date(timeIntervalSince1970: 1_795_000_000))) == Date(timeIntervalSince1970: 1_795_000_000))
    }
}

/// The runtime reads incoming envelopes in json-c's tree (`CloudEvent(parsed:)`); what it
/// reads, or why it refuses, must be what `CloudEvent(document:)` says of the same text.
@Suite struct CloudEventInPlaceTests {
    static let envelope = #""specversion":"1.0","id":"e1","source":"/crm","type":"pilot.requested","subject":"acme-1","time":"2026-11-25T09:00:00Z""#
    static let bodies = [
        "{\(envelope),\"data\":{\"a\":[1,2]}}",
        "{\(envelope),\"causationid\":\"c0\",\"echodelayms\":5,\"data\":{}}",
        "{\(envelope.replacingOccurrences(of: #""id":"e1","#, with: "")),\"data\":{}}",
        "{\(envelope.replacingOccurrences(of: "acme-1", with: "../etc")),\"data\":{}}",
        "{\(envelope.replacingOccurrences(of: #""1.0""#, with: #""0.3""#)),\"data\":{}}",
        "{\(envelope.replacingOccurrences(of: #""/crm""#, with: "7")),\"data\":{}}",
        "{\(envelope),\"data\":[1]}",
        "{\(envelope)}",
        "[1,2]",
        "\"text\"",
    ]

    @Test(arguments: bodies)
    func readsWhatTheSwiftTreeReads(_ body: String) throws {
        func fields(_ read: () throws(EnvelopeError) -> CloudEvent) -> String {
            do {
                let event = try read()
                return [event.id, event.source, event.type, event.subject, event.time, event.causationID ?? "-"].joined(separator: " ")
            } catch {
                return "refused: \(error)"
            }
        }
        let document = try JSONValue(parsing: body)
        let parsed = try ParsedJSON(parsing: Array(body.utf8))
        let inPlace = fields { () throws(EnvelopeError) in try CloudEvent(parsed: parsed) }
        #expect(inPlace == fields { () throws(EnvelopeError) in try CloudEvent(document: document) })
        if let event = try? CloudEvent(parsed: parsed) {
            #expect(event.document == document)
            #expect(event.data == document["data"])
        }
    }

    @Test func bothVerdictsAreAmongTheBodies() {
        let read = Self.bodies.filter { (try? CloudEvent(document: JSONValue(parsing: $0))) != nil }
        #expect(read.count == 2)
    }

    @Test func attributesAreReadWithoutTheData() throws {
        let event = try CloudEvent(parsed: ParsedJSON(parsing: Array(Self.bodies[1].utf8)))
        #expect(event.attribute("echodelayms") == 5)
        #expect(event.attribute("causationid") == "c0")
        #expect(event.attribute("missing") == nil)
        #expect(event.causationID == "c0")
    }

    @Test func settingTheDataChangesTheDocument() throws {
        var event = try CloudEvent(parsed: ParsedJSON(parsing: Array(Self.bodies[0].utf8)))
        event.data = ["b": true]
        #expect(event.document["data"] == ["b": true])
        #expect(event.document["id"] == "e1")
        struct B: Decodable, Equatable { var b: Bool }
        #expect(try event.decodeData(B.self) == B(b: true))
    }

    /// A handler's typed data, read in json-c's tree, is what the Swift tree decodes to,
    /// and so is a decoding error.
    @Test func dataDecodesInPlaceAsFromTheTree() throws {
        struct Numbers: Decodable, Equatable { var a: [Int] }
        struct Words: Decodable, Equatable { var a: [String] }
        let parsed = try CloudEvent(parsed: ParsedJSON(parsing: Array(Self.bodies[0].utf8)))
        let tree = try CloudEvent(document: JSONValue(parsing: Self.bodies[0]))
        #expect(try parsed.decodeData(Numbers.self) == Numbers(a: [1, 2]))
        #expect(try tree.decodeData(Numbers.self) == Numbers(a: [1, 2]))
        func failure(_ event: CloudEvent) -> String {
            do { return "decoded \(try event.decodeData(Words.self))" } catch { return "\(error)" }
        }
        #expect(failure(parsed).contains("a[0]: expected String, found 1"))
        #expect(failure(parsed) == failure(tree))
    }
}
